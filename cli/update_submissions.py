"""`newsroom update submit ...`: submissions, offered by a contributor (or an editor) and posted
when an editor approves them (commands of the `update` group)."""

from __future__ import annotations

import click

from cli.body_input import read_body
from cli.session import Session, pass_session
from cli.write_options import NUMBER, body_options, request_id_for


@click.command("submit")
@click.argument("slug")
@click.option("--title", required=True, help="The update's title.")
@body_options
@click.option("--byline", metavar="NAME", help="The reporter to credit.")
@request_id_for("submit_update")
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


@click.command("revise-submission")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@click.option("--title", help="The new title.")
@body_options
@request_id_for("revise_submission")
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


@click.command("withdraw")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@request_id_for("withdraw_submission")
@pass_session
def withdraw(session: Session, slug: str, submission: int, request_id: str | None) -> None:
    """Withdraw your own pending submission.

    \b
    Example:
      newsroom --as cat update withdraw syria-talks 1
    """
    version = session.app.withdraw_submission(slug, submission, editor=session.editor, request_id=request_id)
    click.echo(f"{slug}: submission {submission} withdrawn (version {version})")


@click.command("approve")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@click.option("--key-event", is_flag=True, help="List the update among the key events.")
@click.option("--pin", is_flag=True, help="Pin the update to the top of the page.")
@request_id_for("approve_submission")
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


@click.command("reject")
@click.argument("slug")
@click.argument("submission", type=NUMBER)
@click.option("--reason", required=True, help="Why it is rejected (kept in the history).")
@request_id_for("reject_submission")
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


COMMANDS = (submit, revise_submission, withdraw, approve, reject)
