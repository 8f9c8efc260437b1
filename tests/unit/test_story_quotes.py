"""Story rules for correcting quotes.

Given past events, when a command, then exactly these events, or this error and nothing.
"""

from __future__ import annotations

from datetime import timedelta

from domain.errors import (
    InvalidInput,
    NothingToChange,
    QuoteNotFound,
    UpdateRetracted,
)
from domain.story import Story
from spec_kit import EDITOR, T0, event, given

NOW = T0 + timedelta(hours=3)
QUOTED = "Intro.\n\n> We are hopeful.\n>\n> – The spokesman\n\n> Second quote."
LIVE = (event(Story.Opened), event(Story.Published))


# Correcting quotes.


def test_correcting_a_quote_records_the_new_text_and_the_public_note() -> None:
    outcome = given(*LIVE, event(Story.UpdatePosted, body=QUOTED)).when(
        lambda story, updates: story.correct_quote(
            updates[1], 2, text="Second, corrected.", note="Misquoted", editor="bob", at=NOW
        )
    )

    outcome.then(
        event(
            Story.QuoteCorrected,
            number=1,
            quote=2,
            text="Second, corrected.",
            attribution=None,
            note="Misquoted",
            editor="bob",
        )
    )
    assert [type(event).__name__ for event in outcome.digest_events[1]] == ["Changed"]
    assert outcome.updates[1].quotes[1].has_text("Second, corrected.") and outcome.updates[1].body is None


def test_correcting_only_the_attribution_keeps_the_words() -> None:
    given(*LIVE, event(Story.UpdatePosted, body=QUOTED)).when(
        lambda story, updates: story.correct_quote(
            updates[1], 1, attribution="The minister", note="Wrong speaker", editor=EDITOR, at=NOW
        )
    ).then(
        event(
            Story.QuoteCorrected,
            number=1,
            quote=1,
            text=None,
            attribution="The minister",
            note="Wrong speaker",
        )
    )


def test_a_blank_attribution_is_recorded_as_removing_it() -> None:
    given(*LIVE, event(Story.UpdatePosted, body=QUOTED)).when(
        lambda story, updates: story.correct_quote(
            updates[1], 1, attribution=" ", note="Fix", editor=EDITOR, at=NOW
        )
    ).then(event(Story.QuoteCorrected, number=1, quote=1, attribution="", note="Fix"))


def test_a_correction_records_only_the_part_it_changes() -> None:
    given(*LIVE, event(Story.UpdatePosted, body=QUOTED)).when(
        lambda story, updates: story.correct_quote(
            updates[1],
            1,
            text="We are very hopeful.",
            attribution="The spokesman",
            note="Fix",
            editor=EDITOR,
            at=NOW,
        )
    ).then(
        event(
            Story.QuoteCorrected, number=1, quote=1, text="We are very hopeful.", attribution=None, note="Fix"
        )
    )


def test_removing_an_attribution_that_is_not_there_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted, body=QUOTED)).when(
        lambda story, updates: story.correct_quote(
            updates[1], 2, attribution="", note="Fix", editor=EDITOR, at=NOW
        )
    ).then_refused(NothingToChange)


def test_correcting_a_quote_that_does_not_exist_is_refused_naming_the_range() -> None:
    given(*LIVE, event(Story.UpdatePosted, body=QUOTED)).when(
        lambda story, updates: story.correct_quote(updates[1], 3, text="X", note="Fix", editor=EDITOR, at=NOW)
    ).then_refused(QuoteNotFound, match="quotes 1 to 2")


def test_correcting_a_retracted_update_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted, body=QUOTED), event(Story.UpdateRetracted, number=1)).when(
        lambda story, updates: story.correct_quote(updates[1], 1, text="X", note="Fix", editor=EDITOR, at=NOW)
    ).then_refused(UpdateRetracted)


def test_correcting_without_text_or_attribution_is_refused() -> None:
    given(*LIVE, event(Story.UpdatePosted, body=QUOTED)).when(
        lambda story, updates: story.correct_quote(updates[1], 1, note="Fix", editor=EDITOR, at=NOW)
    ).then_refused(InvalidInput, match="nothing to correct")


def test_a_quote_corrected_before_can_be_corrected_back() -> None:
    given(
        *LIVE,
        event(Story.UpdatePosted, body=QUOTED),
        event(Story.QuoteCorrected, number=1, quote=1, text="We are not hopeful."),
    ).when(
        lambda story, updates: story.correct_quote(
            updates[1], 1, text="We are hopeful.", note="Restored", editor=EDITOR, at=NOW
        )
    ).then(event(Story.QuoteCorrected, number=1, quote=1, text="We are hopeful.", note="Restored"))
