"""Submissions: updates offered for approval. Given past events, when a command, then exactly
these events, or this error and nothing recorded."""

from __future__ import annotations

from dataclasses import replace

from domain.errors import (
    InvalidInput,
    NothingToChange,
    NotSubmitter,
    SubmissionNotFound,
    SubmissionNotPending,
    WrongStatus,
)
from domain.markdown_body import parse_body
from domain.meanings import meaning_of
from domain.story import Story
from domain.submission import Submission
from spec_kit import EDITOR, T0, event, given
from tests.support.pages import page_after

CAT = "cat"
"""A contributor."""
LIVE = (event(Story.Opened), event(Story.Published))
FIRST = Submission(1, "From the field", "Cat Reporter", parse_body("Crowds gather."), CAT, T0)
WORDS = {"title": "From the field", "body": "Crowds gather.", "byline": "Cat Reporter"}
"""The first submission's words, as its events hold them."""
SUBMITTED = event(Story.UpdateSubmitted, submission=1, **WORDS, editor=CAT)


def test_a_submission_takes_the_next_submission_number() -> None:
    given(*LIVE, SUBMITTED).when(
        lambda story, updates: story.submit_update("More", parse_body("Later."), editor=CAT, at=T0)
    ).then(event(Story.UpdateSubmitted, submission=2, title="More", body="Later.", editor=CAT, at=T0))


def test_a_submission_does_not_take_an_update_number() -> None:
    outcome = given(*LIVE, event(Story.UpdatePosted)).when(
        lambda story, updates: story.submit_update("First", parse_body("News."), editor=CAT, at=T0)
    )

    outcome.then(event(Story.UpdateSubmitted, submission=1, title="First", body="News.", editor=CAT))
    assert outcome.result == 1 and outcome.story is not None and outcome.story.update_count == 1


def test_a_submission_to_a_closed_story_is_refused() -> None:
    given(*LIVE, event(Story.Closed)).when(
        lambda story, updates: story.submit_update("T", parse_body("B."), editor=CAT, at=T0)
    ).then_refused(WrongStatus)


def test_an_empty_submission_is_refused() -> None:
    given(*LIVE).when(lambda story, updates: story.submit_update("T", (), editor=CAT, at=T0)).then_refused(
        InvalidInput
    )


def test_the_submitter_revises_their_submission_and_the_revision_holds_its_whole_words() -> None:
    given(*LIVE, SUBMITTED).when(
        lambda story, updates: story.revise_submission(FIRST, title="From the square", editor=CAT, at=T0)
    ).then(event(Story.SubmissionRevised, submission=1, **{**WORDS, "title": "From the square"}, editor=CAT))


def test_someone_else_revising_a_submission_is_refused() -> None:
    error = (
        given(*LIVE, SUBMITTED)
        .when(lambda story, updates: story.revise_submission(FIRST, title="Mine now", editor=EDITOR, at=T0))
        .then_refused(NotSubmitter)
    )

    assert (error.name, error.submitter) == (EDITOR, CAT)


def test_a_revision_that_changes_nothing_is_refused() -> None:
    given(*LIVE, SUBMITTED).when(
        lambda story, updates: story.revise_submission(
            FIRST, title="From the field", body=parse_body("Crowds gather."), editor=CAT, at=T0
        )
    ).then_refused(NothingToChange)


def test_the_submitter_withdraws_their_submission() -> None:
    given(*LIVE, SUBMITTED).when(lambda story, updates: story.withdraw_submission(1, editor=CAT, at=T0)).then(
        event(Story.SubmissionWithdrawn, submission=1, editor=CAT)
    )


def test_someone_else_withdrawing_a_submission_is_refused() -> None:
    given(*LIVE, SUBMITTED).when(
        lambda story, updates: story.withdraw_submission(1, editor=EDITOR, at=T0)
    ).then_refused(NotSubmitter)


def test_an_editor_rejects_a_submission_with_a_reason() -> None:
    given(*LIVE, SUBMITTED).when(
        lambda story, updates: story.reject_submission(1, reason="Unsourced", editor=EDITOR, at=T0)
    ).then(event(Story.SubmissionRejected, submission=1, reason="Unsourced", editor=EDITOR))


def test_rejecting_a_withdrawn_submission_is_refused() -> None:
    given(*LIVE, SUBMITTED, event(Story.SubmissionWithdrawn, submission=1, editor=CAT)).when(
        lambda story, updates: story.reject_submission(1, reason="Late", editor=EDITOR, at=T0)
    ).then_refused(SubmissionNotPending)


def test_a_submission_never_made_is_not_found() -> None:
    error = (
        given(*LIVE, SUBMITTED)
        .when(lambda story, updates: story.reject_submission(2, reason="R", editor=EDITOR, at=T0))
        .then_refused(SubmissionNotFound)
    )

    assert error.last == 1


def test_approving_posts_the_submission_as_the_next_update_naming_who_submitted_it() -> None:
    given(*LIVE, event(Story.UpdatePosted), SUBMITTED).when(
        lambda story, updates: story.approve_submission(FIRST, key_event=True, editor=EDITOR, at=T0)
    ).then(
        event(
            Story.SubmissionApproved,
            submission=1,
            number=2,
            **WORDS,
            key_event=True,
            submitted_by=CAT,
            editor=EDITOR,
        )
    )


def test_approving_with_pin_pins_the_new_update() -> None:
    given(*LIVE, SUBMITTED).when(
        lambda story, updates: story.approve_submission(FIRST, pin=True, editor=EDITOR, at=T0)
    ).then(
        event(Story.SubmissionApproved, submission=1, number=1, **WORDS, submitted_by=CAT),
        event(Story.UpdatePinned, number=1),
    )


def test_approving_twice_is_refused() -> None:
    given(*LIVE, SUBMITTED, event(Story.SubmissionApproved, submission=1, submitted_by=CAT)).when(
        lambda story, updates: story.approve_submission(FIRST, editor=EDITOR, at=T0)
    ).then_refused(SubmissionNotPending)


def test_approving_on_a_closed_story_is_refused() -> None:
    given(*LIVE, SUBMITTED, event(Story.Closed)).when(
        lambda story, updates: story.approve_submission(FIRST, editor=EDITOR, at=T0)
    ).then_refused(WrongStatus)


def test_an_approved_update_can_be_revised_like_any_other() -> None:
    outcome = given(*LIVE, SUBMITTED, event(Story.SubmissionApproved, submission=1, submitted_by=CAT)).when(
        lambda story, updates: story.revise_update(
            updates[1], title="Edited", reason="Tighter", editor=EDITOR, at=T0
        )
    )

    assert [type(e).__name__ for e in outcome.events] == ["UpdateRevised"]


def test_a_submission_and_its_revisions_rejection_and_withdrawal_show_readers_nothing() -> None:
    before = page_after(*LIVE, event(Story.UpdatePosted, title="Posted"))
    after = page_after(
        *LIVE,
        event(Story.UpdatePosted, title="Posted"),
        SUBMITTED,
        event(Story.SubmissionRevised, submission=1, title="Revised", editor=CAT),
        event(Story.UpdateSubmitted, submission=2, editor=CAT),
        event(Story.SubmissionRejected, submission=2),
        event(Story.UpdateSubmitted, submission=3, editor=CAT),
        event(Story.SubmissionWithdrawn, submission=3, editor=CAT),
    )

    assert (after.header, list(after.updates)) == (before.header, list(before.updates))


def test_an_approval_shows_the_update_as_a_post_would() -> None:
    page = page_after(
        *LIVE,
        SUBMITTED,
        event(Story.SubmissionApproved, submission=1, title="From the field", submitted_by=CAT),
    )

    assert [(u.number, u.title) for u in page.updates] == [(1, "From the field")]


def test_only_an_approval_is_an_event_readers_see_of_a_submissions_path() -> None:
    events = given(
        *LIVE,
        SUBMITTED,
        event(Story.SubmissionRevised, submission=1, editor=CAT),
        event(Story.SubmissionApproved, submission=1, submitted_by=CAT),
        event(Story.UpdateSubmitted, submission=2, editor=CAT),
        event(Story.SubmissionRejected, submission=2),
        event(Story.UpdateSubmitted, submission=3, editor=CAT),
        event(Story.SubmissionWithdrawn, submission=3, editor=CAT),
    ).events[2:]

    assert [type(e).__name__ for e in events if meaning_of(e).reader_change] == ["SubmissionApproved"]


def test_a_pending_submission_is_kept_by_number_submitter_and_versions() -> None:
    story = given(
        *LIVE, SUBMITTED, event(Story.SubmissionRevised, submission=1, title="Again", editor=CAT)
    ).story

    assert story.require_pending(1) == (CAT, 3, 4)
    assert replace(FIRST, title="x").number == 1
