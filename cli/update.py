"""`newsroom update ...`: post, revise, retract, pin and mark updates, and move or cancel a
scheduled one. The group also holds the takedowns (`cli.update_takedowns`) and the submissions
(`cli.update_submissions`)."""

from __future__ import annotations

from datetime import datetime

import click

from cli import update_submissions, update_takedowns
from cli.body_input import read_body
from cli.session import Session, pass_session
from cli.write_options import NUMBER, TIME, body_options, request_id_for


@click.group()
def update() -> None:
    """Post and change the numbered updates of a story.

    \b
    Example:
      newsroom --as ann update post syria-talks --title "Talks begin" --body-file update.md
      newsroom --as ann update retract syria-talks 3 --reason "Legal advice"
    """


@update.command("post")
@click.argument("slug")
@click.option("--title", required=True, help="The update's title.")
@body_options
@click.option("--byline", metavar="NAME", help="The reporter to credit.")
@click.option("--key-event", is_flag=True, help="List the update among the key events.")
@click.option("--pin", is_flag=True, help="Pin the update to the top of the page.")
@click.option(
    "--publish-at",
    type=TIME,
    help="Publish it then (ISO 8601 with a zone), not now; prints its scheduled number.",
)
@request_id_for("post_update", schedule_update="--publish-at")
@pass_session
def post(
    session: Session,
    slug: str,
    title: str,
    body: str | None,
    body_file: str | None,
    byline: str | None,
    key_event: bool,
    pin: bool,
    publish_at: datetime | None,
    request_id: str | None,
) -> None:
    """Post a new update and print its number.

    Markdown: a blockquote whose last line starts with a dash carries the attribution;
    an image followed by a line "Credit: ..." carries the credit.

    \b
    Example:
      newsroom --as ann update post syria-talks --title "Talks begin" \\
        --body "> We are hopeful.
      >
      > – The spokesman" --key-event
      newsroom --as ann update post syria-talks --title "Vote" --body "..." \\
        --publish-at 2026-05-10T12:00+01:00
    """
    text = read_body(body, body_file, required=True)
    assert text is not None
    if publish_at is not None:
        if pin:
            raise click.UsageError("--pin cannot be scheduled: pin the update once it is published")
        scheduled = session.app.schedule_update(
            slug, title, text, publish_at=publish_at, byline=byline, key_event=key_event,
            editor=session.editor, request_id=request_id,
        )  # fmt: skip
        click.echo(f"{slug}: post {scheduled} scheduled for {publish_at.isoformat()}")
        return
    number = session.app.post_update(
        slug,
        title,
        text,
        byline=byline,
        key_event=key_event,
        pin=pin,
        editor=session.editor,
        request_id=request_id,
    )
    click.echo(number)


@update.command("revise")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@click.option("--title", help="The new title.")
@body_options
@click.option("--reason", required=True, help="Why it changes (kept in the history).")
@click.option("--expect-version", type=NUMBER, help="Refuse if the story has moved on from this version.")
@request_id_for("revise_update")
@pass_session
def revise(
    session: Session,
    slug: str,
    number: int,
    title: str | None,
    body: str | None,
    body_file: str | None,
    reason: str,
    expect_version: int | None,
    request_id: str | None,
) -> None:
    """Revise an update's title and/or body.

    \b
    Example:
      newsroom --as ann update revise syria-talks 2 --title "Talks stall" --reason "Typo" --expect-version 7
    """
    text = read_body(body, body_file, required=False)
    version = session.app.revise_update(
        slug,
        number,
        title=title,
        body=text,
        reason=reason,
        editor=session.editor,
        request_id=request_id,
        expect_version=expect_version,
    )
    click.echo(f"{slug}: update {number} revised (version {version})")


@update.command("retract")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@click.option("--reason", required=True, help="Why it is retracted (kept in the history).")
@request_id_for("retract_update")
@pass_session
def retract(session: Session, slug: str, number: int, reason: str, request_id: str | None) -> None:
    """Retract an update: readers no longer see it; the record keeps it.

    \b
    Example:
      newsroom --as ann update retract syria-talks 3 --reason "On legal advice"
    """
    version = session.app.retract_update(
        slug, number, reason=reason, editor=session.editor, request_id=request_id
    )
    click.echo(f"{slug}: update {number} retracted (version {version})")


@update.command("pin")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@request_id_for("pin_update")
@pass_session
def pin(session: Session, slug: str, number: int, request_id: str | None) -> None:
    """Pin an update to the top of the page (unpinning any other).

    \b
    Example:
      newsroom --as ann update pin syria-talks 4
    """
    version = session.app.pin_update(slug, number, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: update {number} pinned (version {version})")


@update.command("unpin")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@request_id_for("unpin_update")
@pass_session
def unpin(session: Session, slug: str, number: int, request_id: str | None) -> None:
    """Unpin the pinned update.

    \b
    Example:
      newsroom --as ann update unpin syria-talks 4
    """
    version = session.app.unpin_update(slug, number, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: update {number} unpinned (version {version})")


@update.command("key-event")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@click.option("--off", is_flag=True, help="Remove the update from the key events instead.")
@request_id_for("mark_key_event")
@pass_session
def key_event(session: Session, slug: str, number: int, off: bool, request_id: str | None) -> None:
    """Mark an update as a key event (or, with --off, unmark it).

    \b
    Example:
      newsroom --as ann update key-event syria-talks 2
    """
    version = session.app.mark_key_event(
        slug, number, key_event=not off, editor=session.editor, request_id=request_id
    )
    state = "no longer a key event" if off else "marked as a key event"
    click.echo(f"{slug}: update {number} {state} (version {version})")


@update.command("reschedule")
@click.argument("slug")
@click.argument("scheduled", type=NUMBER)
@click.option("--publish-at", type=TIME, required=True, help="The new time (ISO 8601 with a zone).")
@request_id_for("reschedule_update")
@pass_session
def reschedule(
    session: Session, slug: str, scheduled: int, publish_at: datetime, request_id: str | None
) -> None:
    """Move a scheduled post to another time (`newsroom schedule` lists them).

    \b
    Example:
      newsroom --as ann update reschedule syria-talks 1 --publish-at 2026-05-10T13:00Z
    """
    session.app.reschedule_update(
        slug, scheduled, publish_at=publish_at, editor=session.editor, request_id=request_id
    )
    click.echo(f"{slug}: post {scheduled} scheduled for {publish_at.isoformat()}")


@update.command("unschedule")
@click.argument("slug")
@click.argument("scheduled", type=NUMBER)
@request_id_for("unschedule_update")
@pass_session
def unschedule(session: Session, slug: str, scheduled: int, request_id: str | None) -> None:
    """Cancel a scheduled post: it will not be published.

    \b
    Example:
      newsroom --as ann update unschedule syria-talks 1
    """
    session.app.unschedule_update(slug, scheduled, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: post {scheduled} unscheduled")


for _command in (*update_takedowns.COMMANDS, *update_submissions.COMMANDS):
    update.add_command(_command)
