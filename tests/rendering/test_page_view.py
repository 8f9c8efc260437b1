"""The page's texts: written without `json.dumps`, and held to it byte for byte, whatever editors type."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.blocks import BulletList, Image, Paragraph, Quote
from domain.live_page import KeyEvent, LivePage, PageUpdate
from domain.update import Correction
from infrastructure.projections.live_page import UpdatePage
from infrastructure.rendering.page_view import page_view

AT = datetime(2013, 5, 10, 9, 0, 0, 10, tzinfo=UTC)
NASTY = [
    "plain",
    'a "quoted" word, a \\ backslash and a / slash',
    "\u00e9t\u00e9 \u2013 \u201cquotes\u201d \U0001f600 \u2028",
    "tab\there\nnew line\r and \x01 control",
    '"pinned": false, "pinned": true',
    ',\n      "blocks": [], ,\n      "corrections": []}',
    "",
]


def update(title: str, *, pinned: bool = False, key_event: bool = True) -> PageUpdate:
    return PageUpdate(
        number=7,
        title=title,
        byline=title or None,
        posted_at=AT,
        revised_at=AT,
        pinned=pinned,
        key_event=key_event,
        blocks=(
            Paragraph(title),
            Quote(title, title or None),
            Quote(title),
            BulletList((title, "two"), ordered=True),
            BulletList(()),
            Image(title, None, title),
        ),
        corrections=(Correction(AT, 1, title, "ann"), Correction(AT, 2, "again", title)),
    )


def page(title: str) -> LivePage:
    first = update(title, pinned=True)
    return LivePage(
        slug="syria",
        headline=title,
        standfirst=title or None,
        status="live",
        version=12,
        updated_at=AT,
        updates=(first, replace(update(title, key_event=False), number=3, blocks=(), corrections=())),
        key_events=(KeyEvent(7, title, AT),),
    )


@pytest.mark.parametrize("text", NASTY)
def test_the_page_json_text_is_what_json_dumps_writes(text: str) -> None:
    view = page_view(page(text))

    assert view.json_text() == json.dumps(view.to_dict(), ensure_ascii=False, indent=2)


def test_an_empty_page_json_text_is_what_json_dumps_writes() -> None:
    view = page_view(replace(page("x"), updates=(), key_events=()))

    assert view.json_text() == json.dumps(view.to_dict(), ensure_ascii=False, indent=2)


@pytest.mark.parametrize("text", NASTY)
def test_a_stored_update_reads_back_as_it_was_written(text: str) -> None:
    written = UpdatePage(7, text, text or None, "2013-05-10T09:00:00Z", None, True, "[]", "[]")

    page_text, key_event = written.row()

    assert UpdatePage.parse(page_text) == written
    assert json.loads(page_text)["title"] == text
    assert json.loads(key_event or "")["title"] == text
