"""Story rules for updates: posting, pinning, key events, retracting, revising.

Given past events, when a command, then exactly these events, or this error and nothing.
"""

from __future__ import annotations

from datetime import timedelta

from domain.blocks import Paragraph, Quote
from domain.errors import (
    InvalidInput,
    NothingToChange,
    UpdateNotFound,
    UpdateRetracted,
    WrongStatus,
)
from domain.markdown_body import parse_body
from domain.story import Story
from spec_kit import EDITOR, T0, event, given

NOW = T0 + timedelta(hours=3)
QUOTED = "Intro.\n\n> We are hopeful.\n>\n> – The spokesman\n\n> Second quote."
LIVE = (event(Story.Opened), event(Story.Published))


# Posting.


def test_posting_records_the_next_number_and_the_parsed_body() -> None:
    outcome = given(*LIVE, event(Story.UpdatePosted)).when(
        lambda story, _: story.post_update(
            "Talks begin", parse_body(QUOTED), byline="Carl", editor="bob", at=NOW
        )
    )

    outcome.then(
        event(
            Story.UpdatePosted,
            number=2,
            title="Talks begin",
            body=(
                Paragraph("Intro."),
                Quote("We are hopeful.", "The spokesman"),
                Quote("Second quote.", None),
            ),
            byline="Carl",
            editor="bob",
        )
    )
    assert list(outcome.digest_events) == [2]


def test_posting_with_pin_records_the_post_then_the_pin() -> None:
    given(*LIVE, event(Story.UpdatePosted)).when(
        lambda story, _: story.post_update("Breaking", parse_body("News."), pin=True, editor=EDITOR, at=NOW)
    ).then(event(Story.UpdatePosted, title="Breaking", body="News."), event(Story.UpdatePinned, number=2))


def test_posting_to_a_closed_story_is_refused() -> None:
    given(*LIVE, event(Story.Closed)).when(
        lambda story, _: story.post_update("Late", parse_body("News."), editor=EDITOR, at=NOW)
    ).then_refused(WrongStatus, match="closed")


def test_posting_an_empty_body_is_refused() -> None:
    given(*LIVE).when(
        lambda story, _: story.post_update("Title", parse_body("   \n\n"), editor=EDITOR, at=NOW)
    ).then_refused(InvalidInput, match="body is empty")


def test_an_update_a_closed_story_took_under_older_rules_can_still_be_revised() -> None:
    # Posting to a closed story is refused today; a story that took one before is still corrected.
    given(*LIVE, event(Story.Closed), event(Story.UpdatePosted, title="Late")).when(
        lambda story, updates: story.revise_update(
            updates[1], title="Later", reason="Typo", editor=EDITOR, at=NOW
        )
    ).then(event(Story.UpdateRevised, number=1, title="Later", reason="Typo"))


# Pinning and key events.


def test_pinning_another_update_unpins_the_first() -> None:
    given(
        *LIVE, event(Story.UpdatePosted), event(Story.UpdatePosted), event(Story.UpdatePinned, number=1)
    ).when(lambda story, _: story.pin_update(2, editor=EDITOR, at=NOW)).then(
        event(Story.UpdateUnpinned, number=1), event(Story.UpdatePinned, number=2)
    )


def test_pinning_the_pinned_update_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted), event(Story.UpdatePinned, number=1)).when(
        lambda story, _: story.pin_update(1, editor=EDITOR, at=NOW)
    ).then_refused(NothingToChange, match="already pinned")


def test_pinning_in_a_closed_story_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted), event(Story.Closed)).when(
        lambda story, _: story.pin_update(1, editor=EDITOR, at=NOW)
    ).then_refused(WrongStatus, match="closed")


def test_pinning_an_unknown_update_is_refused_naming_the_range() -> None:
    error = (
        given(*LIVE, event(Story.UpdatePosted))
        .when(lambda story, _: story.pin_update(2, editor=EDITOR, at=NOW))
        .then_refused(UpdateNotFound, match="numbered 1 to 1")
    )

    assert (error.number, error.last) == (2, 1)


def test_unpinning_an_update_that_is_not_pinned_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted)).when(
        lambda story, _: story.unpin_update(1, editor=EDITOR, at=NOW)
    ).then_refused(NothingToChange, match="not pinned")


def test_marking_a_key_event_records_it() -> None:
    given(*LIVE, event(Story.UpdatePosted)).when(
        lambda story, _: story.mark_key_event(1, editor=EDITOR, at=NOW)
    ).then(event(Story.KeyEventMarked, number=1))


def test_unmarking_a_key_event_records_it() -> None:
    given(*LIVE, event(Story.UpdatePosted, key_event=True)).when(
        lambda story, _: story.mark_key_event(1, key_event=False, editor=EDITOR, at=NOW)
    ).then(event(Story.KeyEventUnmarked, number=1))


def test_marking_a_key_event_twice_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted), event(Story.KeyEventMarked, number=1)).when(
        lambda story, _: story.mark_key_event(1, editor=EDITOR, at=NOW)
    ).then_refused(NothingToChange, match="already a key event")


# Retracting.


def test_retracting_a_pinned_update_unpins_it_first() -> None:
    given(*LIVE, event(Story.UpdatePosted), event(Story.UpdatePinned, number=1)).when(
        lambda story, _: story.retract_update(1, reason="Legal advice", editor=EDITOR, at=NOW)
    ).then(
        event(Story.UpdateUnpinned, number=1), event(Story.UpdateRetracted, number=1, reason="Legal advice")
    )


def test_retracting_twice_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted), event(Story.UpdateRetracted, number=1)).when(
        lambda story, _: story.retract_update(1, reason="Again", editor=EDITOR, at=NOW)
    ).then_refused(UpdateRetracted)


def test_pinning_a_retracted_update_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted), event(Story.UpdateRetracted, number=1)).when(
        lambda story, _: story.pin_update(1, editor=EDITOR, at=NOW)
    ).then_refused(UpdateRetracted)


# Revising.


def test_revising_only_the_title_records_no_body() -> None:
    given(*LIVE, event(Story.UpdatePosted, title="Old", body="Old body.")).when(
        lambda story, updates: story.revise_update(
            updates[1], title="New", reason="Typo", editor=EDITOR, at=NOW
        )
    ).then(event(Story.UpdateRevised, number=1, title="New", body=None, reason="Typo"))


def test_revising_only_the_body_records_no_title() -> None:
    given(*LIVE, event(Story.UpdatePosted, title="Title", body="Old body.")).when(
        lambda story, updates: story.revise_update(
            updates[1], body=parse_body("New body."), reason="Update", editor=EDITOR, at=NOW
        )
    ).then(event(Story.UpdateRevised, number=1, title=None, body="New body.", reason="Update"))


def test_a_revision_records_only_the_parts_it_changes() -> None:
    given(*LIVE, event(Story.UpdatePosted, title="Title", body="Same body.")).when(
        lambda story, updates: story.revise_update(
            updates[1], title="New title", body=parse_body("Same body."), reason="Typo", editor=EDITOR, at=NOW
        )
    ).then(event(Story.UpdateRevised, number=1, title="New title", body=None, reason="Typo"))


def test_a_revision_to_the_same_body_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted, title="Title", body="Same body.")).when(
        lambda story, updates: story.revise_update(
            updates[1], body=parse_body("Same body."), reason="No-op", editor=EDITOR, at=NOW
        )
    ).then_refused(NothingToChange)


def test_a_revision_to_the_same_title_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted, title="Same")).when(
        lambda story, updates: story.revise_update(
            updates[1], title="Same", reason="No-op", editor=EDITOR, at=NOW
        )
    ).then_refused(NothingToChange)


def test_a_revision_back_to_the_words_revised_away_is_a_change() -> None:
    given(
        *LIVE, event(Story.UpdatePosted, title="First"), event(Story.UpdateRevised, number=1, title="Second")
    ).when(
        lambda story, updates: story.revise_update(
            updates[1], title="First", reason="Undo", editor=EDITOR, at=NOW
        )
    ).then(event(Story.UpdateRevised, number=1, title="First", reason="Undo"))


def test_revising_a_retracted_update_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted), event(Story.UpdateRetracted, number=1)).when(
        lambda story, updates: story.revise_update(
            updates[1], title="New", reason="Typo", editor=EDITOR, at=NOW
        )
    ).then_refused(UpdateRetracted)


def test_revising_without_a_reason_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted, title="Old")).when(
        lambda story, updates: story.revise_update(updates[1], title="New", reason="", editor=EDITOR, at=NOW)
    ).then_refused(InvalidInput, match="reason is empty")
