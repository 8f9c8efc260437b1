"""`newsroom page` and `newsroom events`: what readers see, and the raw record behind it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from cli.errors import BadUsage, Refused
from cli.formats import echo_json, format_option
from cli.session import Session, pass_session
from cli.times import IsoTime

if TYPE_CHECKING:
    from domain.page import Page


@click.command()
@click.argument("slug")
@click.option(
    "--version", "version", type=click.IntRange(min=1), help="Show the page as it stood at this version."
)
@click.option(
    "--at", "moment", type=IsoTime(), help="Show the page as it stood at this time (UTC if no zone)."
)
@click.option(
    "--min-version",
    type=click.IntRange(min=1),
    metavar="V",
    help="Wait until the page has reached version V (e.g. read from a replica after a write).",
)
@click.option(
    "--timeout", "timeout", type=click.FloatRange(min=0), default=10.0, show_default=True,
    help="Seconds --min-version waits before giving up with an error.",
)  # fmt: skip
@format_option(click.Choice(["text", "json", "html"]))
@pass_session
def page(
    session: Session,
    slug: str,
    version: int | None,
    moment: datetime | None,
    min_version: int | None,
    timeout: float,
    output_format: str,
) -> None:
    """Show the live page as readers see it now (a draft shows as a preview), or as it stood then.

    Every version comes from the live-page read model, which keeps each version of the page.

    \b
    Example:
      newsroom page syria-talks
      newsroom page syria-talks --format html > syria-talks.html
      newsroom page syria-talks --version 7
      newsroom page syria-talks --at 2013-05-10T14:32:00Z --format json
    """
    if version is not None and moment is not None:
        raise BadUsage("give --version or --at, not both")
    if min_version is not None:
        if version is not None or moment is not None:
            raise BadUsage("--min-version is for the page now: give it without --version or --at")
        from infrastructure.bootstrap import ReadModelsBehind

        try:
            live_page = session.services.page_at_least(slug, min_version, timeout)
        except ReadModelsBehind as error:
            raise Refused(str(error)) from None
        click.echo(render_page(live_page, output_format), nl=False)
        return
    queries = session.queries()
    if moment is not None:
        version = queries.version_at(slug, moment)
    live_page = queries.page(slug) if version is None else queries.page_at(slug, version)
    click.echo(render_page(live_page, output_format), nl=False)


def render_page(live_page: Page, output_format: str) -> str:
    """The page as text, JSON or HTML, ending with a newline."""
    if output_format == "json":
        from infrastructure.rendering.json_views import render_page_json

        return render_page_json(live_page)
    if output_format == "html":
        from infrastructure.rendering.html_page import render_page_html

        return render_page_html(live_page)
    from infrastructure.rendering.text_page import render_page_text

    return render_page_text(live_page)


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
