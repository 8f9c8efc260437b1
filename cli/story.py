"""`newsroom story ...`: open, retitle, publish, close, reopen and list stories."""

from __future__ import annotations

from datetime import datetime

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session
from cli.write_options import TIME, request_id_for


@click.group()
def story() -> None:
    """Open stories and change their headline, standfirst and status.

    \b
    Example:
      newsroom --as ann story open syria-talks --headline "Syria talks" --standfirst "Latest"
      newsroom --as ann story publish syria-talks
    """


@story.command("open")
@click.argument("slug")
@click.option("--headline", required=True, help="The story's headline.")
@click.option("--standfirst", help="The paragraph under the headline.")
@request_id_for("open_story")
@pass_session
def open_story(
    session: Session, slug: str, headline: str, standfirst: str | None, request_id: str | None
) -> None:
    """Open a new story as a draft.

    \b
    Example:
      newsroom --as ann story open syria-talks --headline "Syria talks"
    """
    session.app.open_story(slug, headline, standfirst, editor=session.editor, request_id=request_id)
    click.echo(f"opened {slug} as a draft (version 1); `newsroom story publish {slug}` makes it live")


@story.command("headline")
@click.argument("slug")
@click.argument("headline")
@click.option("--reason", required=True, help="Why the headline changes (kept in the history).")
@request_id_for("change_headline")
@pass_session
def change_headline(session: Session, slug: str, headline: str, reason: str, request_id: str | None) -> None:
    """Change a story's headline.

    \b
    Example:
      newsroom --as ann story headline syria-talks "Syria talks collapse" --reason "News moved on"
    """
    version = session.app.change_headline(
        slug, headline, reason=reason, editor=session.editor, request_id=request_id
    )
    click.echo(f"{slug}: headline changed (version {version})")


@story.command("standfirst")
@click.argument("slug")
@click.argument("standfirst")
@request_id_for("change_standfirst")
@pass_session
def change_standfirst(session: Session, slug: str, standfirst: str, request_id: str | None) -> None:
    """Change (or, with "", remove) the paragraph under the headline.

    \b
    Example:
      newsroom --as ann story standfirst syria-talks "Leaders meet in Sochi"
    """
    version = session.app.change_standfirst(slug, standfirst, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: standfirst changed (version {version})")


@story.command("timezone")
@click.argument("slug")
@click.argument("zone")
@request_id_for("change_time_zone")
@pass_session
def change_time_zone(session: Session, slug: str, zone: str, request_id: str | None) -> None:
    """Show the story's times to readers in ZONE, a name from the IANA time zone database
    (default UTC); JSON and feeds stay in UTC.

    \b
    Example:
      newsroom --as ann story timezone syria-talks Europe/London
    """
    version = session.app.change_time_zone(slug, zone, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: times shown in {zone.strip()} (version {version})")


@story.command("publish")
@click.argument("slug")
@click.option("--at", "publish_at", type=TIME, help="Publish it then (ISO 8601 with a zone), not now.")
@request_id_for("publish_story", schedule_publication="--at")
@pass_session
def publish(session: Session, slug: str, publish_at: datetime | None, request_id: str | None) -> None:
    """Make a draft story live, now or (--at) when its time comes.

    \b
    Example:
      newsroom --as ann story publish syria-talks
      newsroom --as ann story publish syria-talks --at 2026-05-10T12:00+01:00
    """
    if publish_at is not None:
        session.app.schedule_publication(
            slug, publish_at=publish_at, editor=session.editor, request_id=request_id
        )
        click.echo(f"{slug}: publication scheduled for {publish_at.isoformat()}")
        return
    version = session.app.publish_story(slug, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: published, now live (version {version})")


@story.command("unschedule")
@click.argument("slug")
@request_id_for("unschedule_publication")
@pass_session
def unschedule(session: Session, slug: str, request_id: str | None) -> None:
    """Cancel a draft's scheduled publication.

    \b
    Example:
      newsroom --as ann story unschedule syria-talks
    """
    session.app.unschedule_publication(slug, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: publication unscheduled; still a draft")


@story.command("close")
@click.argument("slug")
@request_id_for("close_story")
@pass_session
def close(session: Session, slug: str, request_id: str | None) -> None:
    """Close a live story to new updates.

    \b
    Example:
      newsroom --as ann story close syria-talks
    """
    version = session.app.close_story(slug, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: closed (version {version})")


@story.command("reopen")
@click.argument("slug")
@request_id_for("reopen_story")
@pass_session
def reopen(session: Session, slug: str, request_id: str | None) -> None:
    """Reopen a closed story.

    \b
    Example:
      newsroom --as ann story reopen syria-talks
    """
    version = session.app.reopen_story(slug, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: reopened, live again (version {version})")


@story.command("list")
@format_option()
@pass_session
def list_stories(session: Session, output_format: str) -> None:
    """List every story with its status and version.

    \b
    Example:
      newsroom story list --format json
    """
    from infrastructure.rendering.json_views import summary_to_dict

    summaries = session.queries().stories()
    if output_format == "json":
        echo_json([summary_to_dict(s) for s in summaries])
        return
    if not summaries:
        click.echo("no stories yet; `newsroom story open SLUG --headline TEXT` opens one")
    for s in summaries:
        click.echo(f"{s.slug:<32} {s.status:<7} v{s.version:<5} {s.headline}")
