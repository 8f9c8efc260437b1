"""The court-case story the takedown tests share: an update whose every word holds a distinctive
phrase, updates from a submission and a schedule, words that never became updates, and their takedowns."""

from __future__ import annotations

from datetime import timedelta

from click.testing import Result

from infrastructure.bootstrap import Services
from tests.integration.conftest import Run

SLUG = "court-case"
PHRASE = "Zebra-Überfall 7731 »verleumdet«"
"""The distinctive words taken down: non-ASCII, so that escaped encodings differ from UTF-8."""
NAME = "Quentin Zebrowski"
NOTE = "This update was removed by order of the High Court."


def story_with_update_3(services: Services) -> None:
    app = services.app
    app.open_story(SLUG, "A court case", None, editor="ann")
    app.publish_story(SLUG, editor="ann")
    app.post_update(SLUG, "Opening", "The case opens.", editor="ann")
    app.post_update(SLUG, "Second", "Nothing to see.", editor="bob")
    body = (
        f"He said {PHRASE}.\n\n> {PHRASE} again\n>\n> – {NAME}\n\n"
        f"![{PHRASE}](https://x.org/a.jpg)\nCredit: {NAME}"
    )
    app.post_update(SLUG, f"Title {PHRASE}", body, byline=NAME, key_event=True, editor="ann")
    app.correct_quote(SLUG, 3, 1, text=f"{PHRASE} corrected", note="Misquote", editor="bob")
    app.revise_update(SLUG, 3, title=f"Revised {PHRASE}", reason="Sharper", editor="bob")
    services.caught_up()  # the read models hold the words before the takedown


def updates_4_and_5_from_a_submission_and_a_schedule(services: Services) -> None:
    """Update 4 approved from a submission (submitted, then revised), update 5 published from a
    scheduled post (scheduled, then moved): each with the phrase in every word it ever had."""
    app = services.app
    app.submit_update(SLUG, f"Offered {PHRASE}", f"Field notes {PHRASE}.", byline=NAME, editor="bob")
    app.revise_submission(SLUG, 1, body=f"Field notes {PHRASE}, revised.", editor="bob")
    app.approve_submission(SLUG, 1, editor="ann")
    publish_at = app.clock() + timedelta(minutes=5)
    app.schedule_update(
        SLUG, f"Later {PHRASE}", f"At ten {PHRASE}.", byline=NAME, publish_at=publish_at, editor="ann"
    )
    app.reschedule_update(SLUG, 1, publish_at=publish_at + timedelta(seconds=1), editor="ann")
    assert len(app.publish_due(SLUG, now=publish_at + timedelta(seconds=1))) == 1
    assert app.get_story(SLUG).update_count == 5
    services.caught_up()


def words_that_never_became_updates(services: Services) -> None:
    """Submission 2 withdrawn, submission 3 rejected, scheduled post 2 unscheduled: each with the
    phrase in its words, none of them ever an update."""
    app = services.app
    app.submit_update(SLUG, f"Withdrawn {PHRASE}", f"Second thoughts {PHRASE}.", byline=NAME, editor="bob")
    app.revise_submission(SLUG, 2, body=f"Second thoughts {PHRASE}, revised.", editor="bob")
    app.withdraw_submission(SLUG, 2, editor="bob")
    app.submit_update(SLUG, f"Rejected {PHRASE}", f"Unsourced {PHRASE}.", editor="bob")
    app.reject_submission(SLUG, 3, reason="Unsourced", editor="ann")
    publish_at = app.clock() + timedelta(days=1)
    app.schedule_update(
        SLUG, f"Cancelled {PHRASE}", f"Never {PHRASE}.", byline=NAME, publish_at=publish_at, editor="ann"
    )
    app.unschedule_update(SLUG, 2, editor="ann")
    services.caught_up()


def take_down_earlier(run: Run, command: str, number: str) -> Result:
    return run("update", command, SLUG, number, "--order", "HC-2013-118", "--note", NOTE)


def take_down_everything(newsroom: Services, run: Run) -> Services:
    """Updates 3 (posted), 4 (an approved submission) and 5 (a scheduled post) taken down, and
    the words of submissions 2 (withdrawn) and 3 (rejected) and scheduled post 2 (unscheduled)."""
    story_with_update_3(newsroom)
    updates_4_and_5_from_a_submission_and_a_schedule(newsroom)
    words_that_never_became_updates(newsroom)
    for number in ("3", "4", "5"):
        result = run("update", "takedown", SLUG, number, "--order", "HC-2013-118", "--note", NOTE)
        assert result.exit_code == 0, result.output
        assert f"update {number} taken down" in result.stdout
    for command, number, what in (
        ("takedown-submission", "2", "submission 2"),
        ("takedown-submission", "3", "submission 3"),
        ("takedown-scheduled", "2", "scheduled post 2"),
    ):
        result = take_down_earlier(run, command, number)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"{SLUG}: {what} taken down (version ")
    return newsroom


def take_down_update_3(newsroom: Services, run: Run) -> Services:
    """Update 3 posted, corrected, revised, then taken down under a court order."""
    story_with_update_3(newsroom)
    result = run("update", "takedown", SLUG, "3", "--order", "HC-2013-118", "--note", NOTE)
    assert result.exit_code == 0, result.output
    assert "update 3 taken down" in result.stdout
    return newsroom


def read_ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout
