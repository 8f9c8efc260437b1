"""The page fold: what readers see after given events."""

from __future__ import annotations

from domain.blocks import Paragraph, Quote
from domain.story import Story
from spec_kit import event
from tests.support.pages import page_after

QUOTED = "Intro.\n\n> We are hopeful.\n>\n> – The spokesman\n\n> Second quote."
LIVE = (event(Story.Opened), event(Story.Published))


def test_the_page_after_a_body_only_revision_keeps_the_title() -> None:
    page = page_after(
        *LIVE,
        event(Story.UpdatePosted, title="Title", body="Old body."),
        event(Story.UpdateRevised, number=1, body="New body."),
    )

    assert (page.updates[0].title, page.updates[0].blocks) == ("Title", (Paragraph("New body."),))


def test_the_page_after_a_title_only_revision_keeps_the_body() -> None:
    page = page_after(
        *LIVE,
        event(Story.UpdatePosted, title="Old", body="Old body."),
        event(Story.UpdateRevised, number=1, title="New"),
    )

    assert (page.updates[0].title, page.updates[0].blocks) == ("New", (Paragraph("Old body."),))


def test_the_page_after_a_quote_correction_shows_the_new_words_and_the_note() -> None:
    page = page_after(
        *LIVE,
        event(Story.UpdatePosted, body=QUOTED),
        event(Story.QuoteCorrected, number=1, quote=2, text="Second, corrected.", note="Misquoted"),
    )

    assert page.updates[0].blocks[2] == Quote("Second, corrected.", None)
    assert [c.note for c in page.updates[0].corrections] == ["Misquoted"]


def test_the_page_after_an_attribution_correction_keeps_the_words() -> None:
    page = page_after(
        *LIVE,
        event(Story.UpdatePosted, body=QUOTED),
        event(Story.QuoteCorrected, number=1, quote=1, attribution="The minister"),
    )

    assert page.updates[0].blocks[1] == Quote("We are hopeful.", "The minister")


def test_the_page_after_an_attribution_is_removed_shows_the_quote_unattributed() -> None:
    page = page_after(
        *LIVE,
        event(Story.UpdatePosted, body=QUOTED),
        event(Story.QuoteCorrected, number=1, quote=1, attribution=""),
    )

    assert page.updates[0].blocks[1] == Quote("We are hopeful.", None)
