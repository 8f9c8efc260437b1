"""Story rules: given past events, when a command, then exactly these events or this error."""

from __future__ import annotations

import pytest

from domain.blocks import BulletList, Image, Paragraph, Quote
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
from tests.unit.given import (
    EDITOR,
    SLUG,
    at,
    attributed,
    closed,
    given,
    given_update,
    new_events,
    opened,
    page_after,
    pinned,
    posted,
    published,
    quote_corrected,
    retracted,
    revised,
)

WHEN = at(100)
QUOTED = "Intro.\n\n> We are hopeful.\n>\n> – The spokesman\n\n> Second quote."


def test_opening_a_story_records_opened_as_a_draft() -> None:
    story = Story.open(SLUG, " Syria summit ", "Talks.", editor=EDITOR, at=WHEN)

    assert new_events(story) == [
        ("Opened", {"slug": SLUG, "headline": "Syria summit", "standfirst": "Talks.", "editor": EDITOR})
    ]
    assert story.status == "draft"


@pytest.mark.parametrize(
    "slug", ["Syria", "syria summit", "-syria", "syria--talks", "", "s" * 81, "syr\u200fia"]
)
def test_opening_with_an_invalid_slug_is_refused(slug: str) -> None:
    with pytest.raises(InvalidInput, match="invalid slug"):
        Story.open(slug, "Headline", None, editor=EDITOR, at=WHEN)


def test_opening_with_an_empty_headline_is_refused() -> None:
    with pytest.raises(InvalidInput, match="headline is empty"):
        Story.open(SLUG, "   ", None, editor=EDITOR, at=WHEN)


def test_the_story_id_is_derived_from_the_slug() -> None:
    assert Story.open(SLUG, "H", None, editor=EDITOR, at=WHEN).id == Story.id_for(SLUG)


def test_posting_records_the_next_number_and_the_parsed_body() -> None:
    story = given(opened(), posted())

    update = story.post_update("Talks begin", parse_body(QUOTED), byline="Carl", editor="bob", at=WHEN)

    assert (update.number, story.update_count) == (2, 2)
    assert new_events(story) == [
        (
            "UpdatePosted",
            {
                "number": 2,
                "title": "Talks begin",
                "byline": "Carl",
                "body": (
                    Paragraph("Intro."),
                    Quote("We are hopeful.", "The spokesman"),
                    Quote("Second quote.", None),
                ),
                "key_event": False,
                "editor": "bob",
            },
        )
    ]


def test_posting_with_pin_records_the_post_then_the_pin() -> None:
    story = given(opened(), posted())

    story.post_update("Breaking", parse_body("News."), pin=True, editor=EDITOR, at=WHEN)

    assert [name for name, _ in new_events(story)] == ["UpdatePosted", "UpdatePinned"]


def test_posting_to_a_closed_story_is_refused_and_records_nothing() -> None:
    story = given(opened(), published(), closed())

    with pytest.raises(WrongStatus, match="closed"):
        story.post_update("Late", parse_body("News."), editor=EDITOR, at=WHEN)
    assert new_events(story) == []


def test_posting_an_empty_body_is_refused() -> None:
    story = given(opened())

    with pytest.raises(InvalidInput, match="body is empty"):
        story.post_update("Title", parse_body("   \n\n"), editor=EDITOR, at=WHEN)


def test_pinning_another_update_unpins_the_first() -> None:
    story = given(opened(), posted(), posted(), pinned(1))

    story.pin_update(2, editor=EDITOR, at=WHEN)

    assert new_events(story) == [
        ("UpdateUnpinned", {"number": 1, "editor": EDITOR}),
        ("UpdatePinned", {"number": 2, "editor": EDITOR}),
    ]


def test_retracting_a_pinned_update_unpins_it_first() -> None:
    story = given(opened(), posted(), pinned(1))

    story.retract_update(1, reason="Legal advice", editor=EDITOR, at=WHEN)

    assert new_events(story) == [
        ("UpdateUnpinned", {"number": 1, "editor": EDITOR}),
        ("UpdateRetracted", {"number": 1, "reason": "Legal advice", "editor": EDITOR}),
    ]


def test_retracting_twice_is_refused() -> None:
    story = given(opened(), posted(), retracted(1))

    with pytest.raises(UpdateRetracted):
        story.retract_update(1, reason="Again", editor=EDITOR, at=WHEN)


def test_revising_only_the_title_records_no_body() -> None:
    story, update = given_update(opened(), posted("Old", "Old body."))

    story.revise_update(update, title="New", reason="Typo", editor=EDITOR, at=WHEN)

    assert new_events(story) == [
        (
            "UpdateRevised",
            {
                "number": 1,
                "title": "New",
                "body": None,
                "reason": "Typo",
                "editor": EDITOR,
            },
        )
    ]


def test_revising_a_retracted_update_is_refused() -> None:
    story, update = given_update(opened(), posted(), retracted(1))

    with pytest.raises(UpdateRetracted):
        story.revise_update(update, title="New", reason="Typo", editor=EDITOR, at=WHEN)
    assert new_events(story) == []


def test_revising_the_body_records_the_new_body() -> None:
    story, update = given_update(opened(), posted("Title", "Old body."))

    story.revise_update(update, body=parse_body("New body."), reason="Update", editor=EDITOR, at=WHEN)

    assert new_events(story) == [
        (
            "UpdateRevised",
            {
                "number": 1,
                "title": None,
                "body": (Paragraph("New body."),),
                "reason": "Update",
                "editor": EDITOR,
            },
        )
    ]


def test_a_revision_records_only_the_parts_it_changes() -> None:
    story, update = given_update(opened(), posted("Title", "Same body."))

    story.revise_update(
        update, title="New title", body=parse_body("Same body."), reason="Typo", editor=EDITOR, at=WHEN
    )

    assert new_events(story) == [
        (
            "UpdateRevised",
            {"number": 1, "title": "New title", "body": None, "reason": "Typo", "editor": EDITOR},
        )
    ]


def test_the_page_after_a_body_only_revision_keeps_the_title() -> None:
    page = page_after(opened(), posted("Title", "Old body."), revised(1, body="New body."))

    assert (page.updates[0].title, page.updates[0].blocks) == ("Title", (Paragraph("New body."),))


def test_a_revision_to_the_same_body_is_refused() -> None:
    story, update = given_update(opened(), posted("Title", "Same body."))

    with pytest.raises(NothingToChange):
        story.revise_update(update, body=parse_body("Same body."), reason="No-op", editor=EDITOR, at=WHEN)


def test_the_page_after_a_quote_correction_shows_the_new_words_and_the_note() -> None:
    page = page_after(opened(), posted(body=QUOTED), quote_corrected(1, 2, "Second, corrected.", "Misquoted"))

    assert page.updates[0].blocks[2] == Quote("Second, corrected.", None)
    assert [c.note for c in page.updates[0].corrections] == ["Misquoted"]


def test_the_page_after_a_title_only_revision_keeps_the_body() -> None:
    page = page_after(opened(), posted("Old", "Old body."), revised(1, title="New"))

    assert (page.updates[0].title, page.updates[0].blocks) == ("New", (Paragraph("Old body."),))


def test_a_revision_that_changes_nothing_is_refused() -> None:
    story, update = given_update(opened(), posted("Same"))

    with pytest.raises(NothingToChange):
        story.revise_update(update, title="Same", reason="No-op", editor=EDITOR, at=WHEN)


def test_revising_an_unknown_update_is_refused_naming_the_range() -> None:
    story = given(opened(), posted())

    with pytest.raises(UpdateNotFound, match="numbered 1 to 1"):
        story.require_update(2)


def test_correcting_a_quote_records_the_new_text_and_the_public_note() -> None:
    story, update = given_update(opened(), posted(body=QUOTED))

    story.correct_quote(update, 2, text="Second, corrected.", note="Misquoted", editor="bob", at=WHEN)

    assert new_events(story) == [
        (
            "QuoteCorrected",
            {
                "number": 1,
                "quote": 2,
                "text": "Second, corrected.",
                "attribution": None,
                "note": "Misquoted",
                "editor": "bob",
            },
        )
    ]
    assert update.quotes[1].has_text("Second, corrected.") and update.body is None
    assert [name for name, _ in new_events(update)] == ["Changed"]


def test_correcting_only_the_attribution_keeps_the_words() -> None:
    steps = (opened(), posted(body=QUOTED))
    story, update = given_update(*steps)

    story.correct_quote(update, 1, attribution="The minister", note="Wrong speaker", editor=EDITOR, at=WHEN)

    [(_, fields)] = new_events(story)
    assert (fields["text"], fields["attribution"]) == (None, "The minister")
    page = page_after(*steps, attributed(1, 1, "The minister"))
    assert page.updates[0].blocks[1] == Quote("We are hopeful.", "The minister")


def test_a_blank_attribution_removes_it() -> None:
    page = page_after(opened(), posted(body=QUOTED), attributed(1, 1, " "))

    assert page.updates[0].blocks[1] == Quote("We are hopeful.", None)


def test_removing_an_attribution_that_is_not_there_changes_nothing() -> None:
    story, update = given_update(opened(), posted(body=QUOTED))

    with pytest.raises(NothingToChange):
        story.correct_quote(update, 2, attribution="", note="Fix", editor=EDITOR, at=WHEN)


def test_a_correction_records_only_the_part_it_changes() -> None:
    story, update = given_update(opened(), posted(body=QUOTED))

    story.correct_quote(
        update,
        1,
        text="We are very hopeful.",
        attribution="The spokesman",
        note="Fix",
        editor=EDITOR,
        at=WHEN,
    )

    [(_, fields)] = new_events(story)
    assert (fields["text"], fields["attribution"]) == ("We are very hopeful.", None)


def test_correcting_a_quote_that_does_not_exist_is_refused() -> None:
    story, update = given_update(opened(), posted(body=QUOTED))

    with pytest.raises(QuoteNotFound, match="quotes 1 to 2"):
        story.correct_quote(update, 3, text="X", note="Fix", editor=EDITOR, at=WHEN)


def test_correcting_a_quote_of_a_retracted_update_is_refused() -> None:
    story, update = given_update(opened(), posted(body=QUOTED), retracted(1))

    with pytest.raises(UpdateRetracted):
        story.correct_quote(update, 1, text="X", note="Fix", editor=EDITOR, at=WHEN)


def test_correcting_without_text_or_attribution_is_refused() -> None:
    story, update = given_update(opened(), posted(body=QUOTED))

    with pytest.raises(InvalidInput, match="nothing to correct"):
        story.correct_quote(update, 1, note="Fix", editor=EDITOR, at=WHEN)


def test_changing_the_headline_requires_a_reason() -> None:
    story = given(opened())

    with pytest.raises(InvalidInput, match="reason is empty"):
        story.change_headline("New", reason=" ", editor=EDITOR, at=WHEN)


def test_changing_the_headline_records_it_with_the_reason() -> None:
    story = given(opened("Old"))

    story.change_headline("New", reason="Fresher", editor=EDITOR, at=WHEN)

    assert new_events(story) == [
        ("HeadlineChanged", {"headline": "New", "reason": "Fresher", "editor": EDITOR})
    ]


@pytest.mark.parametrize(
    ("steps", "command", "status"),
    [
        ((opened(), published()), lambda s: s.publish(editor=EDITOR, at=WHEN), "live"),
        ((opened(),), lambda s: s.close(editor=EDITOR, at=WHEN), "draft"),
        ((opened(), published()), lambda s: s.reopen(editor=EDITOR, at=WHEN), "live"),
    ],
)
def test_status_changes_out_of_order_are_refused(steps, command, status) -> None:  # noqa: ANN001
    story = given(*steps)

    with pytest.raises(WrongStatus, match=f"is {status}"):
        command(story)
    assert new_events(story) == []


def test_marking_a_key_event_twice_is_refused() -> None:
    story = given(opened(), posted(key_event=True))

    with pytest.raises(NothingToChange):
        story.mark_key_event(1, editor=EDITOR, at=WHEN)


def test_every_event_names_an_editor() -> None:
    with pytest.raises(NoEditorNamed):
        Story.open(SLUG, "Headline", None, editor=" ", at=WHEN)


def test_each_event_is_chained_to_the_previous_one() -> None:
    story = Story.open(SLUG, "H", None, editor=EDITOR, at=WHEN)
    story.post_update("T", parse_body("x"), editor=EDITOR, at=WHEN)
    story.publish(editor=EDITOR, at=WHEN)
    events = story.collect_events()

    assert events[0].previous_hash == "0" * 64
    assert [e.previous_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert story.head_hash == events[-1].hash


def test_the_markdown_body_keeps_lists_images_and_credits() -> None:
    body = parse_body("Options:\n\n- One\n- Two\n\n![Leaders meet](https://img/x.jpg)\nCredit: PA Wire")

    assert body == (
        Paragraph("Options:"),
        BulletList(("One", "Two")),
        Image("Leaders meet", "https://img/x.jpg", "PA Wire"),
    )
