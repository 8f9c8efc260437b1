"""Taking down the words of a submission or a scheduled post that never became an update:
given/when/then on the domain (the facts read off the story's events, `domain/earlier_words.py`)."""

from __future__ import annotations

from datetime import timedelta

from domain.earlier_words import SCHEDULED_WORDS, SUBMITTED_WORDS, earlier_words
from domain.errors import (
    EarlierWordsBecameUpdate,
    EarlierWordsNotSealed,
    EarlierWordsTakenDown,
    ScheduledPostNotFound,
    SubmissionNotFound,
)
from domain.meanings import meaning_of
from domain.schedule import SCHEDULER
from domain.story import Story
from spec_kit import EDITOR, T0, Given, Outcome, event, given

LATER = T0 + timedelta(days=1)


def _take_down(past: Given, kind: str, number: int) -> Outcome:
    words = earlier_words(past.events, kind, number)
    return past.when(
        lambda story, updates: story.take_down_earlier_words(
            words, order="HC-1", note="Removed by court order.", editor=EDITOR, at=LATER
        )
    )


def test_a_withdrawn_submission_is_taken_down_under_the_order_with_the_note() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1, sealed=True),
        event(Story.SubmissionWithdrawn, submission=1),
    )

    outcome = _take_down(past, SUBMITTED_WORDS, 1)

    outcome.then(event(Story.SubmissionTakenDown, submission=1, order="HC-1", note="Removed by court order."))


def test_a_rejected_submission_is_taken_down() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1, sealed=True),
        event(Story.SubmissionRejected, submission=1),
    )

    outcome = _take_down(past, SUBMITTED_WORDS, 1)

    outcome.then(event(Story.SubmissionTakenDown, submission=1, order="HC-1", note="Removed by court order."))


def test_a_pending_submission_taken_down_leaves_the_queue() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1, sealed=True),
        event(Story.UpdateSubmitted, submission=2, sealed=True),
    )

    outcome = _take_down(past, SUBMITTED_WORDS, 1)

    outcome.then(event(Story.SubmissionTakenDown, submission=1, order="HC-1", note="Removed by court order."))
    after = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1, sealed=True),
        event(Story.UpdateSubmitted, submission=2, sealed=True),
        event(Story.SubmissionTakenDown, submission=1),
    ).story
    assert [entry[0] for entry in after.pending] == [2]


def test_an_unscheduled_post_is_taken_down() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateScheduled, scheduled=1, publish_at=LATER, sealed=True),
        event(Story.UpdateRescheduled, scheduled=1, publish_at=None),
    )

    outcome = _take_down(past, SCHEDULED_WORDS, 1)

    outcome.then(
        event(Story.ScheduledPostTakenDown, scheduled=1, order="HC-1", note="Removed by court order.")
    )


def test_a_waiting_post_taken_down_leaves_the_schedule() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateScheduled, scheduled=1, publish_at=LATER + timedelta(hours=1), sealed=True),
    )

    _take_down(past, SCHEDULED_WORDS, 1).then(
        event(Story.ScheduledPostTakenDown, scheduled=1, order="HC-1", note="Removed by court order.")
    )

    after = given(
        event(Story.Opened),
        event(Story.UpdateScheduled, scheduled=1, publish_at=LATER + timedelta(hours=1), sealed=True),
        event(Story.ScheduledPostTakenDown, scheduled=1),
    ).story
    assert after.scheduled == [] and after.due_posts(LATER + timedelta(days=1)) == []


def test_an_unknown_submission_or_scheduled_post_is_refused() -> None:
    past = given(event(Story.Opened), event(Story.UpdateSubmitted, submission=1, sealed=True))

    error = _take_down(past, SUBMITTED_WORDS, 2).then_refused(SubmissionNotFound, "no submission 2")
    assert error.last == 1
    _take_down(past, SCHEDULED_WORDS, 1).then_refused(ScheduledPostNotFound, "no scheduled post 1")


def test_taking_the_same_words_down_twice_is_refused() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1, sealed=True),
        event(Story.SubmissionWithdrawn, submission=1),
        event(Story.SubmissionTakenDown, submission=1),
    )

    _take_down(past, SUBMITTED_WORDS, 1).then_refused(EarlierWordsTakenDown, "taken down already")


def test_a_submission_that_became_an_update_is_refused_naming_the_update() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1, sealed=True),
        event(Story.SubmissionApproved, submission=1, sealed=True),
    )

    error = _take_down(past, SUBMITTED_WORDS, 1).then_refused(EarlierWordsBecameUpdate, "became update 1")
    assert error.update == 1


def test_a_scheduled_post_that_was_published_is_refused_naming_the_update() -> None:
    at = T0 + timedelta(hours=1)
    past = given(
        event(Story.Opened),
        event(Story.Published),
        event(Story.UpdateScheduled, scheduled=1, publish_at=at, sealed=True),
        event(Story.UpdatePosted, scheduled=1, scheduled_for=at, sealed=True, editor=SCHEDULER, at=at),
    )

    _take_down(past, SCHEDULED_WORDS, 1).then_refused(EarlierWordsBecameUpdate, "became update 1")


def test_words_stored_before_they_were_sealed_are_refused() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1),
        event(Story.SubmissionWithdrawn, submission=1),
    )

    _take_down(past, SUBMITTED_WORDS, 1).then_refused(EarlierWordsNotSealed, "stored before its words")


def test_a_revision_stored_in_clear_keeps_the_whole_submission_from_being_shredded() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1, sealed=True),
        event(Story.SubmissionRevised, submission=1),
        event(Story.SubmissionWithdrawn, submission=1),
    )

    _take_down(past, SUBMITTED_WORDS, 1).then_refused(EarlierWordsNotSealed)


def test_the_takedown_reads_as_its_order_and_note_in_the_history() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1, sealed=True),
        event(Story.SubmissionTakenDown, submission=1, order="HC-7", note="Gone."),
    )
    taken_down = past.events[-1]

    meaning = meaning_of(taken_down)

    assert meaning.label(taken_down) == "Submission 1 taken down"
    assert meaning.summary(taken_down) == "Submission 1 taken down under order 'HC-7'"
    assert meaning.reason(taken_down) == "Gone." and meaning.reader_change is None
