"""`newsroom submissions SLUG`: the story's pending submissions, for the editors."""

from __future__ import annotations

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session
from infrastructure.rendering.times import iso


@click.command()
@click.argument("slug")
@format_option()
@pass_session
def submissions(session: Session, slug: str, output_format: str) -> None:
    """List a story's pending submissions, oldest first: number, title, who submitted it and when.

    \b
    Example:
      newsroom submissions syria-talks --format json
    """
    pending = session.app.get_submissions(slug)
    if output_format == "json":
        echo_json(
            [
                {
                    "number": s.number,
                    "title": s.title,
                    "submitted_by": s.submitted_by,
                    "submitted_at": iso(s.submitted_at),
                }
                for s in pending
            ]
        )
        return
    if not pending:
        click.echo(f"{slug}: no pending submissions")
        return
    for s in pending:
        click.echo(f"{s.number:>4}  {iso(s.submitted_at)}  {s.submitted_by}: {s.title}")
