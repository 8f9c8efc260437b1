"""`newsroom update takedown ...`: take words down on legal grounds, an update's or those of a
submission or scheduled post that never became one (commands of the `update` group)."""

from __future__ import annotations

import click

from cli.session import Session, pass_session
from cli.write_options import NUMBER, request_id_for

ORDER = click.option("--order", required=True, metavar="REF", help="The legal order's reference (recorded).")
UNSEEN_NOTE = click.option(
    "--note", required=True, metavar="TEXT", help="A public note (recorded; readers never saw it)."
)
"""The note of words that never reached the page, as opposed to an update's (readers see it)."""


@click.command("takedown")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@ORDER
@click.option("--note", required=True, metavar="TEXT", help="The public note readers see in its place.")
@request_id_for("take_down_update")
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


@click.command("takedown-submission")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@ORDER
@UNSEEN_NOTE
@request_id_for("take_down_submission")
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


@click.command("takedown-scheduled")
@click.argument("slug")
@click.argument("scheduled", type=NUMBER)
@ORDER
@UNSEEN_NOTE
@request_id_for("take_down_scheduled_post")
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


COMMANDS = (takedown, takedown_submission, takedown_scheduled)
