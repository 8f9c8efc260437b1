"""Story rules: given past events, when a command, then exactly these events, or this error and nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.blocks import Paragraph, Quote
from domain.errors import (
    InvalidInput,
    NoEditorNamed,
    NothingToChange,
    QuoteNotFound,
    UpdateNotFound,
    UpdateRetracted,
    WrongStatus,
)
from domain.markdown_body import parse_body
from domain.story import Story
from spec_kit import EDITOR, SLUG, T0, event, given, when

NOW = T0 + timedelta(hours=3)
QUOTED = "Intro.\n\n> We are hopeful.\n>\n> – The spokesman\n\n> Second quote."
LIVE = (event(Story.Opened), event(Story.Published))


# Opening.


def test_opening_a_story_records_it_opened_as_a_draft() -> None:
    outcome = when(lambda: Story.open(SLUG, " Syria summit ", "Talks.", editor=EDITOR, at=NOW))

    outcome.then(
        event(Story.Opened, headline="Syria summit", standfirst="Talks.", slug=SLUG, editor=EDITOR, at=NOW)
    )
    assert outcome.story is not None and outcome.story.status == "draft"


@pytest.mark.parametrize(
    "slug", ["Syria", "syria summit", "-syria", "syria--talks", "", "s" * 81, "syr\u200fia"]
)
def test_opening_with_an_invalid_slug_is_refused(slug: str) -> None:
    when(lambda: Story.open(slug, "Headline", None, editor=EDITOR, at=NOW)).then_refused(
        InvalidInput, match="invalid slug"
    )


def test_opening_with_an_empty_headline_is_refused() -> None:
    when(lambda: Story.open(SLUG, "   ", None, editor=EDITOR, at=NOW)).then_refused(
        InvalidInput, match="headline is empty"
    )


def test_a_command_naming_no_editor_is_refused() -> None:
    when(lambda: Story.open(SLUG, "Headline", None, editor=" ", at=NOW)).then_refused(NoEditorNamed)


def test_the_story_id_is_derived_from_the_slug() -> None:
    assert given(event(Story.Opened, slug="syria")).story.id == Story.id_for("syria")


# Headline and standfirst.


def test_changing_the_headline_records_it_with_the_reason() -> None:
    given(event(Story.Opened, headline="Old")).when(
        lambda story, _: story.change_headline("New", reason="Fresher", editor="bob", at=NOW)
    ).then(event(Story.HeadlineChanged, headline="New", reason="Fresher", editor="bob"))


def test_changing_the_headline_without_a_reason_is_refused() -> None:
    given(event(Story.Opened, headline="Old")).when(
        lambda story, _: story.change_headline("New", reason=" ", editor=EDITOR, at=NOW)
    ).then_refused(InvalidInput, match="reason is empty")


def test_changing_the_headline_to_the_same_words_is_refused() -> None:
    given(event(Story.Opened, headline="Old"), event(Story.HeadlineChanged, headline="Same")).when(
        lambda story, _: story.change_headline(" Same ", reason="Again", editor=EDITOR, at=NOW)
    ).then_refused(NothingToChange)


def test_a_blank_standfirst_removes_it() -> None:
    given(event(Story.Opened, standfirst="Talks.")).when(
        lambda story, _: story.change_standfirst("  ", editor=EDITOR, at=NOW)
    ).then(event(Story.StandfirstChanged, standfirst=None))


# Status.


def test_publishing_a_draft_makes_it_live() -> None:
    outcome = given(event(Story.Opened)).when(lambda story, _: story.publish(editor=EDITOR, at=NOW))

    outcome.then(event(Story.Published))
    assert outcome.story is not None and outcome.story.status == "live"


def test_reopening_a_closed_story_records_it_reopened() -> None:
    given(*LIVE, event(Story.Closed)).when(lambda story, _: story.reopen(editor=EDITOR, at=NOW)).then(
        event(Story.Reopened)
    )


@pytest.mark.parametrize(
    ("past", "command", "status"),
    [
        (LIVE, lambda story, _: story.publish(editor=EDITOR, at=NOW), "live"),
        ((event(Story.Opened),), lambda story, _: story.close(editor=EDITOR, at=NOW), "draft"),
        (LIVE, lambda story, _: story.reopen(editor=EDITOR, at=NOW), "live"),
    ],
    ids=["publishing a live story", "closing a draft", "reopening a live story"],
)
def test_a_status_change_out_of_order_is_refused(past, command, status) -> None:  # noqa: ANN001
    given(*past).when(command).then_refused(WrongStatus, match=f"is {status}")


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


# The chain.


def test_each_new_event_is_chained_to_the_story_s_last_one() -> None:
    past = given(*LIVE, event(Story.UpdatePosted), event(Story.UpdatePinned, number=1))

    outcome = past.when(lambda story, _: story.retract_update(1, reason="Legal", editor=EDITOR, at=NOW))

    unpinned, retracted = outcome.events
    assert unpinned.previous_hash == past.events[-1].hash
    assert retracted.previous_hash == unpinned.hash
    assert outcome.story is not None and outcome.story.head_hash == retracted.hash
