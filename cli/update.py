"""`newsroom update ...`: post, revise, retract, take down, pin and mark updates."""

from __future__ import annotations

from datetime import datetime

import click

from cli.body_input import read_body
from cli.session import Session, pass_session
from cli.write_options import TIME, request_id_option

NUMBER = click.IntRange(min=1)


BODY_FILE = click.option("--body-file", metavar="PATH", help="Read the Markdown body from a file.")
BODY = click.option("--body", metavar="TEXT", help="The body in Markdown; '-' reads standard input.")


def body_options(func: click.decorators.FC) -> click.decorators.FC:
    return BODY(BODY_FILE(func))


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
@request_id_option
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
@request_id_option
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
@request_id_option
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


@update.command("takedown")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@click.option("--order", required=True, metavar="REF", help="The legal order's reference (recorded).")
@click.option("--note", required=True, metavar="TEXT", help="The public note readers see in its place.")
@request_id_option
@pass_session
def takedown(session: Session, slug: str, number: int, order: str, note: str, request_id: str | None) -> None:
    """Take an update down on legal grounds: its words are shredded everywhere (its key is
    destroyed); readers see the note in its place; the record keeps who, when and under which order.

    Once the store has an admin, only the legal desk may (the `legal` role).

    \b
    Example:
      newsroom --as ann update takedown syria-talks 3 --order "HC-2013-118" --note "Removed by court order."
    """
    from infrastructure.takedown import take_down_update

    done = take_down_update(
        session.services, slug, number, order=order, note=note, editor=session.editor, request_id=request_id
    )
    _say_taken_down(slug, f"update {number}", done.version)
    if done.plain_digests:
        click.echo(
            f"Warning: update {number}'s digests were stored before they were keyed by its key: "
            "they can still confirm a guessed title, quote or attribution (stored events are never changed)",
            err=True,
        )


def _take_down_earlier(
    session: Session, slug: str, kind: str, number: int, order: str, note: str, request_id: str | None
) -> None:
    from infrastructure.takedown import take_down_earlier_words

    done = take_down_earlier_words(
        session.services,
        slug,
        kind,
        number,
        order=order,
        note=note,
        editor=session.editor,
        request_id=request_id,
    )
    what = f"{'submission' if kind == 'submission' else 'scheduled post'} {number}"
    _say_taken_down(slug, what, done.version)


def _say_taken_down(slug: str, what: str, version: int | None) -> None:
    """The one line a takedown prints; `version` None: it was taken down before (a repeat)."""
    if version is None:
        click.echo(f"{slug}: {what} was already taken down; its erasure is complete")
    else:
        click.echo(f"{slug}: {what} taken down (version {version}); its words are shredded")


@update.command("takedown-submission")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@click.option("--order", required=True, metavar="REF", help="The legal order's reference (recorded).")
@click.option("--note", required=True, metavar="TEXT", help="A public note (recorded; readers never saw it).")
@request_id_option
@pass_session
def takedown_submission(
    session: Session, slug: str, submission: int, order: str, note: str, request_id: str | None
) -> None:
    """Take down the words of a submission that never became an update (pending, withdrawn or
    rejected): its key is destroyed; a pending one leaves the queue. An approved one goes with its
    update (`update takedown`). Once the store has an admin, only the legal desk may.

    \b
    Example:
      newsroom --as ann update takedown-submission syria-talks 2 --order "HC-2013-118" --note "Court order."
    """
    _take_down_earlier(session, slug, "submission", submission, order, note, request_id)


@update.command("takedown-scheduled")
@click.argument("slug")
@click.argument("scheduled", type=NUMBER)
@click.option("--order", required=True, metavar="REF", help="The legal order's reference (recorded).")
@click.option("--note", required=True, metavar="TEXT", help="A public note (recorded; readers never saw it).")
@request_id_option
@pass_session
def takedown_scheduled(
    session: Session, slug: str, scheduled: int, order: str, note: str, request_id: str | None
) -> None:
    """Take down the words of a scheduled post that was never published (unscheduled, or still
    waiting: it then leaves the schedule): its key is destroyed. A published one goes with its
    update (`update takedown`). Once the store has an admin, only the legal desk may.

    \b
    Example:
      newsroom --as ann update takedown-scheduled syria-talks 1 --order "HC-2013-118" --note "Court order."
    """
    _take_down_earlier(session, slug, "scheduled", scheduled, order, note, request_id)


@update.command("pin")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@request_id_option
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
@request_id_option
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
@request_id_option
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


# Submissions: offered by a contributor (or an editor), posted when an editor approves them.


@update.command("submit")
@click.argument("slug")
@click.option("--title", required=True, help="The update's title.")
@body_options
@click.option("--byline", metavar="NAME", help="The reporter to credit.")
@request_id_option
@pass_session
def submit(
    session: Session,
    slug: str,
    title: str,
    body: str | None,
    body_file: str | None,
    byline: str | None,
    request_id: str | None,
) -> None:
    """Submit an update for an editor's approval and print the submission's number.

    Readers see nothing of it until an editor approves it (`update approve`).

    \b
    Example:
      newsroom --as cat update submit syria-talks --title "Crowds gather" --body "Outside the venue."
    """
    text = read_body(body, body_file, required=True)
    assert text is not None
    number = session.app.submit_update(
        slug, title, text, byline=byline, editor=session.editor, request_id=request_id
    )
    click.echo(number)


@update.command("revise-submission")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@click.option("--title", help="The new title.")
@body_options
@request_id_option
@pass_session
def revise_submission(
    session: Session,
    slug: str,
    submission: int,
    title: str | None,
    body: str | None,
    body_file: str | None,
    request_id: str | None,
) -> None:
    """Revise your own pending submission's title and/or body.

    \b
    Example:
      newsroom --as cat update revise-submission syria-talks 1 --title "Crowds gather in Sochi"
    """
    text = read_body(body, body_file, required=False)
    version = session.app.revise_submission(
        slug, submission, title=title, body=text, editor=session.editor, request_id=request_id
    )
    click.echo(f"{slug}: submission {submission} revised (version {version})")


@update.command("withdraw")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@request_id_option
@pass_session
def withdraw(session: Session, slug: str, submission: int, request_id: str | None) -> None:
    """Withdraw your own pending submission.

    \b
    Example:
      newsroom --as cat update withdraw syria-talks 1
    """
    version = session.app.withdraw_submission(slug, submission, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: submission {submission} withdrawn (version {version})")


@update.command("approve")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@click.option("--key-event", is_flag=True, help="List the update among the key events.")
@click.option("--pin", is_flag=True, help="Pin the update to the top of the page.")
@request_id_option
@pass_session
def approve(
    session: Session, slug: str, submission: int, key_event: bool, pin: bool, request_id: str | None
) -> None:
    """Approve a pending submission: it is posted as the next update, whose number is printed.

    \b
    Example:
      newsroom --as ann update approve syria-talks 1 --key-event
    """
    number = session.app.approve_submission(
        slug, submission, key_event=key_event, pin=pin, editor=session.editor, request_id=request_id
    )
    click.echo(number)


@update.command("reject")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@click.option("--reason", required=True, help="Why it is rejected (kept in the history).")
@request_id_option
@pass_session
def reject(session: Session, slug: str, submission: int, reason: str, request_id: str | None) -> None:
    """Reject a pending submission; readers never see it.

    \b
    Example:
      newsroom --as ann update reject syria-talks 2 --reason "Unsourced"
    """
    version = session.app.reject_submission(
        slug, submission, reason=reason, editor=session.editor, request_id=request_id
    )
    click.echo(f"{slug}: submission {submission} rejected (version {version})")


@update.command("reschedule")
@click.argument("slug")
@click.argument("scheduled", type=NUMBER)
@click.option("--publish-at", type=TIME, required=True, help="The new time (ISO 8601 with a zone).")
@request_id_option
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
@request_id_option
@pass_session
def unschedule(session: Session, slug: str, scheduled: int, request_id: str | None) -> None:
    """Cancel a scheduled post: it will not be published.

    \b
    Example:
      newsroom --as ann update unschedule syria-talks 1
    """
    session.app.unschedule_update(slug, scheduled, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: post {scheduled} unscheduled")
