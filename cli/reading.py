"""`newsroom page` and `newsroom events`: what readers see, and the raw record behind it."""

from __future__ import annotations

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session


@click.command()
@click.argument("slug")
@format_option()
@pass_session
def page(session: Session, slug: str, output_format: str) -> None:
    """Show the live page as readers see it now (a draft shows as a preview).

    \b
    Example:
      newsroom page syria-talks
      newsroom page syria-talks --format json
    """
    live_page = session.app.get_page(slug)
    if output_format == "json":
        from infrastructure.rendering.json_views import page_to_dict

        echo_json(page_to_dict(live_page))
    else:
        from infrastructure.rendering.text_page import render_page_text

        click.echo(render_page_text(live_page), nl=False)


@click.command()
@click.argument("slug")
@format_option()
@pass_session
def events(session: Session, slug: str, output_format: str) -> None:
    """Show a story's raw event stream, oldest first.

    \b
    Example:
      newsroom events syria-talks --format json
    """
    from infrastructure.rendering.json_views import event_to_dict

    records = [event_to_dict(e) for e in session.app.get_events(slug)]
    if output_format == "json":
        echo_json(records)
        return
    for r in records:
        data = " ".join(f"{k}={v!r}" for k, v in r["data"].items() if k != "body")
        click.echo(f"v{r['version']:<4} {r['at']}  {r['editor']:<16} {r['type']:<18} {data}")
