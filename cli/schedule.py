"""`newsroom schedule`: what waits to be published, on every story, and when."""

from __future__ import annotations

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session
from infrastructure.rendering.times import iso


@click.command()
@format_option()
@pass_session
def schedule(session: Session, output_format: str) -> None:
    """List every scheduled post and publication, in the order they fall due.

    A follower (`newsroom projections run --follow`) or `newsroom serve` publishes each when its
    time comes.

    \b
    Example:
      newsroom schedule --format json
    """
    session.queries()  # the read models name the stories that scheduled anything
    waiting = session.services.publisher.schedule()
    if output_format == "json":
        echo_json(
            [
                {
                    "slug": d.slug,
                    "what": "publication" if d.post is None else "post",
                    "number": None if d.post is None else d.post.number,
                    "title": None if d.post is None else d.post.title,
                    "publish_at": iso(d.publish_at),
                    "scheduled_by": None if d.post is None else d.post.scheduled_by,
                }
                for d in waiting
            ]
        )
        return
    if not waiting:
        click.echo("nothing scheduled")
        return
    for d in waiting:
        title = "" if d.post is None else f": {d.post.title}"
        click.echo(f"{iso(d.publish_at)}  {d.slug}  {d.what}{title}")
