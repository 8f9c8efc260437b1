"""Taking an update down on legal grounds, and sealed events' chain: given/when/then on the domain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.chain import COMMITMENT, commitment, event_content, hash_content, sealing
from domain.earlier_words import words_before
from domain.errors import UpdateAlreadyTakenDown, UpdateNotFound, UpdateNotSealed
from domain.page import REMOVED_TITLE
from domain.page_fold import PageFold
from domain.schedule import SCHEDULER
from domain.story import Story
from spec_kit import EDITOR, T0, event, given
from spec_kit.story import Command


def test_taking_down_a_sealed_update_records_the_order_and_the_note() -> None:
    past = given(event(Story.Opened), event(Story.UpdatePosted, title="Libel", sealed=True))

    outcome = past.when(
        lambda story, updates: story.take_down_update(
            1, order="HC-2013-118", note="Removed by court order.", editor=EDITOR, at=T0
        )
    )

    outcome.then(event(Story.UpdateTakenDown, number=1, order="HC-2013-118", note="Removed by court order."))


def test_a_pinned_update_is_unpinned_before_it_is_taken_down() -> None:
    past = given(
        event(Story.Opened), event(Story.UpdatePosted, sealed=True), event(Story.UpdatePinned, number=1)
    )

    outcome = past.when(
        lambda story, updates: story.take_down_update(1, order="HC-1", note="Removed.", editor=EDITOR, at=T0)
    )

    outcome.then(
        event(Story.UpdateUnpinned, number=1),
        event(Story.UpdateTakenDown, number=1, order="HC-1", note="Removed."),
    )


def test_a_retracted_update_can_still_be_taken_down() -> None:
    past = given(
        event(Story.Opened), event(Story.UpdatePosted, sealed=True), event(Story.UpdateRetracted, number=1)
    )

    outcome = past.when(
        lambda story, updates: story.take_down_update(1, order="HC-1", note="Removed.", editor=EDITOR, at=T0)
    )

    outcome.then(event(Story.UpdateTakenDown, number=1, order="HC-1", note="Removed."))


def test_an_update_stored_before_sealing_cannot_be_taken_down() -> None:
    past = given(event(Story.Opened), event(Story.UpdatePosted))

    outcome = past.when(
        lambda story, updates: story.take_down_update(1, order="HC-1", note="Removed.", editor=EDITOR, at=T0)
    )

    error = outcome.then_refused(UpdateNotSealed, "stored before updates were encrypted")
    assert (error.slug, error.number) == (past.story.slug, 1)


PLAIN_THEN_SEALED_WITH_A_GAP = (
    event(Story.Opened),
    event(Story.UpdatePosted),  # before the store had keys
    event(Story.UpdatePosted, sealed=True),
    event(Story.UpdatePosted, sealed=True),
    event(Story.UpdatePosted),  # by a process that did not seal
    event(Story.UpdatePosted, sealed=True),
)


def _take_down(number: int) -> Command:
    return lambda story, updates: story.take_down_update(
        number, order="HC-1", note="Removed.", editor=EDITOR, at=T0
    )


def test_the_story_keeps_the_updates_posted_sealed_as_runs_between_the_gaps() -> None:
    past = given(*PLAIN_THEN_SEALED_WITH_A_GAP)

    assert past.story.sealed_updates == [[2, 3], [5, 5]]


def test_an_update_posted_without_keys_between_sealed_ones_cannot_be_taken_down() -> None:
    past = given(*PLAIN_THEN_SEALED_WITH_A_GAP)

    outcome = past.when(_take_down(4))

    error = outcome.then_refused(UpdateNotSealed, "stored before updates were encrypted")
    assert error.number == 4


def test_an_update_posted_before_the_store_began_sealing_cannot_be_taken_down() -> None:
    past = given(*PLAIN_THEN_SEALED_WITH_A_GAP)

    outcome = past.when(_take_down(1))

    outcome.then_refused(UpdateNotSealed)


@pytest.mark.parametrize("number", [2, 3, 5])
def test_every_update_of_a_run_of_sealed_ones_can_be_taken_down(number: int) -> None:
    past = given(*PLAIN_THEN_SEALED_WITH_A_GAP)

    outcome = past.when(_take_down(number))

    outcome.then(event(Story.UpdateTakenDown, number=number, order="HC-1", note="Removed."))


def test_an_update_past_the_last_run_is_not_found_rather_than_not_sealed() -> None:
    past = given(*PLAIN_THEN_SEALED_WITH_A_GAP)

    outcome = past.when(_take_down(6))

    outcome.then_refused(UpdateNotFound)


def test_an_update_approved_sealed_from_a_submission_can_be_taken_down() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1),
        event(Story.UpdateSubmitted, submission=2),
        event(Story.SubmissionApproved, submission=2, sealed=True),
    )

    outcome = past.when(
        lambda story, updates: story.take_down_update(1, order="HC-1", note="Removed.", editor=EDITOR, at=T0)
    )

    outcome.then(event(Story.UpdateTakenDown, number=1, order="HC-1", note="Removed."))
    assert words_before(past.events, 1) == ("submission", 2)  # whose own key the takedown destroys


def test_an_update_published_sealed_from_a_schedule_can_be_taken_down() -> None:
    at = T0 + timedelta(hours=1)
    past = given(
        event(Story.Opened),
        event(Story.Published),
        event(Story.UpdateScheduled, scheduled=1, publish_at=at),
        event(Story.UpdatePosted, scheduled=1, scheduled_for=at, sealed=True, editor=SCHEDULER, at=at),
    )

    outcome = past.when(
        lambda story, updates: story.take_down_update(1, order="HC-1", note="Removed.", editor=EDITOR, at=at)
    )

    outcome.then(event(Story.UpdateTakenDown, number=1, order="HC-1", note="Removed."))
    assert words_before(past.events, 1) == ("scheduled", 1)


def test_an_update_approved_before_sealing_cannot_be_taken_down() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateSubmitted, submission=1),
        event(Story.SubmissionApproved, submission=1),
    )

    outcome = past.when(
        lambda story, updates: story.take_down_update(1, order="HC-1", note="Removed.", editor=EDITOR, at=T0)
    )

    outcome.then_refused(UpdateNotSealed, "stored before updates were encrypted")
    assert words_before(past.events, 1) is None


def test_taking_an_update_down_twice_is_refused() -> None:
    past = given(
        event(Story.Opened), event(Story.UpdatePosted, sealed=True), event(Story.UpdateTakenDown, number=1)
    )

    outcome = past.when(
        lambda story, updates: story.take_down_update(1, order="HC-2", note="Again.", editor=EDITOR, at=T0)
    )

    outcome.then_refused(UpdateAlreadyTakenDown)


def test_revising_a_taken_down_update_is_refused() -> None:
    past = given(
        event(Story.Opened), event(Story.UpdatePosted, sealed=True), event(Story.UpdateTakenDown, number=1)
    )

    outcome = past.when(
        lambda story, updates: story.revise_update(
            updates[1], title="Back again", reason="Try", editor=EDITOR, at=T0
        )
    )

    outcome.then_refused(UpdateAlreadyTakenDown)


def test_pinning_a_taken_down_update_is_refused() -> None:
    past = given(
        event(Story.Opened), event(Story.UpdatePosted, sealed=True), event(Story.UpdateTakenDown, number=1)
    )

    outcome = past.when(lambda story, updates: story.pin_update(1, editor=EDITOR, at=T0))

    outcome.then_refused(UpdateAlreadyTakenDown)


def test_the_page_shows_the_note_in_place_of_a_taken_down_update() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdatePosted, title="Libel", body="Defamatory words.", byline="Carl", sealed=True),
        event(Story.UpdatePosted, title="Other"),
        event(Story.UpdateTakenDown, number=1, note="Removed by court order."),
    )

    page = PageFold.of(past.events).page()

    removed = next(u for u in page.updates if u.number == 1)
    assert (removed.title, removed.byline) == (REMOVED_TITLE, None)
    assert [b.text for b in removed.blocks] == ["Removed by court order."]  # type: ignore[union-attr]
    assert [u.number for u in page.updates] == [2, 1]


def test_a_sealed_event_is_chained_by_commitments_not_by_its_words() -> None:
    salts = iter(["s1", "s2", "s3", "s4"])
    with sealing(lambda: next(salts)):
        event = _update_posted("Secret words")

    content = event_content("topic", event.originator_id, 2, vars(event))

    assert content["state"]["title"] == {COMMITMENT: commitment("s1", "Secret words")}
    assert content["state"]["editor"] == {COMMITMENT: commitment("s4", EDITOR)}  # a person's name
    assert "Secret words" not in str(content) and "salts" not in content["state"]
    assert event.hash == hash_content(event.chained_content())


def test_a_commitment_depends_on_its_salt() -> None:
    assert commitment("salt-a", "Ann") != commitment("salt-b", "Ann")
    assert commitment("salt-a", "Ann") == commitment("salt-a", "Ann")


def test_an_event_made_without_sealing_is_chained_as_before() -> None:
    event = _update_posted("Plain words")

    assert "salts" not in vars(event)
    assert event_content("t", event.originator_id, 2, vars(event))["state"]["title"] == "Plain words"


def _update_posted(title: str) -> Story.UpdatePosted:
    """Update 1 of a story, made directly (sealed if made inside `sealing`)."""
    return Story.UpdatePosted(
        originator_id=Story.id_for("a-story"),
        originator_version=2,
        timestamp=T0,
        editor=EDITOR,
        previous_hash="0" * 64,
        number=1,
        title=title,
        byline=None,
        body=(),
        key_event=False,
    )
