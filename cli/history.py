"""`newsroom history` and `newsroom diff`: every change to a story, and what readers saw change."""

from __future__ import annotations

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session

NUMBER = click.IntRange(min=1)


@click.command()
@click.argument("slug")
@click.option(
    "--update", "number", type=NUMBER, help="Only this update's life: posted, revised, corrected..."
)
@format_option()
@pass_session
def history(session: Session, slug: str, number: int | None, output_format: str) -> None:
    """Show a story's revision history, oldest first: who changed what, when and why.

    \b
    Example:
      newsroom history syria-talks
      newsroom history syria-talks --update 3 --format json
    """
    from infrastructure.rendering.history_views import entry_to_dict, render_history_text

    entries = session.queries().history(slug, number)
    if output_format == "json":
        echo_json([entry_to_dict(e) for e in entries])
    else:
        click.echo(render_history_text(entries), nl=False)


@click.command()
@click.argument("slug")
@click.argument("old_version", metavar="V1", type=NUMBER)
@click.argument("new_version", metavar="V2", type=NUMBER)
@pass_session
def diff(session: Session, slug: str, old_version: int, new_version: int) -> None:
    """Show what a reader would have seen change from version V1 to V2, word by word.

    Removed words are shown [-like this-], added ones {+like this+}.

    \b
    Example:
      newsroom diff syria-talks 3 7
    """
    from infrastructure.rendering.text_diff import word_diff
    from infrastructure.rendering.text_page import render_page_text
    from infrastructure.rendering.times import iso

    queries = session.queries()
    old, new = (queries.page_at(slug, v) for v in (old_version, new_version))
    lines = word_diff(render_page_text(old), render_page_text(new))
    click.echo(f"--- {slug} version {old.version} ({iso(old.updated_at)})")
    click.echo(f"+++ {slug} version {new.version} ({iso(new.updated_at)})")
    if not lines:
        click.echo("(no visible change)")
    for line in lines:
        click.echo(line)
