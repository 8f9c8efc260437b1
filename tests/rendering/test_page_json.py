"""The page's JSON codec (`infrastructure/page_json.py`): written without `json.dumps`, held to it
byte for byte whatever editors type, and read back to the same typed page."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime

import pytest

from domain.blocks import BLOCK_KINDS, Block, BulletList, Image, Paragraph, Quote, block_to_dict
from domain.page import Correction, Header, Page, Update
from infrastructure.page_json import (
    StoredUpdates,
    page_from_dict,
    page_json,
    page_to_dict,
    update_from_json,
    update_json,
)

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
BLOCKS: list[Block] = [
    Paragraph('Plain words with "quotes", a back\\slash,\na newline, a tab\t and \u00e9t\u00e9 \U0001f600.'),
    Quote("We are hopeful.", "\u2013 The spokesman"),
    Quote("Unattributed.", None),
    Quote("", ""),
    BulletList(("one", 'two "2"'), ordered=False),
    BulletList((), ordered=True),
    Image("Leaders meet", 'https://example.org/a.jpg?x=1&y="2"', "Agency"),
    Image("No source", None, None),
]


def update(title: str, *, key_event: bool = True) -> Update:
    return Update(
        number=7,
        title=title,
        byline=title or None,
        blocks=(
            Paragraph(title),
            Quote(title, title or None),
            Quote(title),
            BulletList((title, "two"), ordered=True),
            BulletList(()),
            Image(title, None, title),
        ),
        posted_at=AT,
        revised_at=AT,
        key_event=key_event,
        corrections=(Correction(AT, 1, title, "ann"), Correction(AT, 2, "again", title)),
    )


def page(title: str) -> Page:
    first = update(title)
    other = replace(update(title, key_event=False), number=3, blocks=(), corrections=())
    header = Header("syria", title, title or None, "closed", 7, "Europe/London", AT, AT)
    return Page(header, 12, AT, [first, other])


@pytest.mark.parametrize("text", NASTY)
def test_the_page_json_is_what_json_dumps_writes(text: str) -> None:
    assert page_json(page(text)) == json.dumps(page_to_dict(page(text)), ensure_ascii=False, indent=2)


def test_an_empty_page_json_is_what_json_dumps_writes() -> None:
    empty = replace(page("x"), updates=[])

    assert page_json(empty) == json.dumps(page_to_dict(empty), ensure_ascii=False, indent=2)


def test_the_page_json_shows_the_zone_and_coverage_times_after_the_summary() -> None:
    shown = page_to_dict(replace(page("x"), header=replace(page("x").header, closed_at=None)))

    summary = ("slug", "headline", "standfirst", "status", "version", "updated_at")
    after = [f.name for f in fields(Header) if f.name not in (*summary, "pinned")]  # in their order
    assert list(shown) == [*summary, *after, "key_events", "updates"]
    assert after[:3] == ["time_zone", "published_at", "closed_at"]
    assert (shown["time_zone"], shown["published_at"], shown["closed_at"]) == (
        "Europe/London",
        "2013-05-10T09:00:00.000010Z",
        None,
    )


@pytest.mark.parametrize("text", NASTY)
def test_the_page_json_reads_back_to_the_same_page(text: str) -> None:
    assert page_from_dict(json.loads(page_json(page(text)))) == page(text)


@pytest.mark.parametrize("text", NASTY)
def test_a_stored_update_reads_back_as_it_was_written(text: str) -> None:
    stored = update_json(update(text))

    assert update_from_json(stored) == update(text)
    assert json.loads(stored) == page_to_dict(page(text))["updates"][0] | {"pinned": False}


def test_stored_updates_are_decoded_only_when_asked_for() -> None:
    texts = [update_json(update("one")), "not json at all"]
    updates = StoredUpdates(texts)

    assert len(updates) == 2
    assert updates[0] == update("one")
    assert updates[0] is updates[0]


def _stored_block(block: Block) -> dict[str, object]:
    """The block as the read model stores it, in an update's row."""
    stored: dict[str, object] = json.loads(update_json(replace(update("one"), blocks=(block,))))["blocks"][0]
    return stored


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: type(b).__name__)
def test_a_block_is_stored_as_block_to_dict_gives_it(block: Block) -> None:
    stored = _stored_block(block)

    assert stored == block_to_dict(block)
    assert list(stored) == list(block_to_dict(block))  # the same order of keys in JSON output


def test_every_kind_of_block_and_every_field_is_written() -> None:
    assert {type(b) for b in BLOCKS} == set(BLOCK_KINDS.values())
    for kind in BLOCK_KINDS.values():
        example = next(b for b in BLOCKS if type(b) is kind)
        assert set(_stored_block(example)) == {"kind", *(f.name for f in fields(kind))}


@pytest.mark.parametrize("text", NASTY)
def test_a_stored_update_is_the_pages_update_as_compact_json_dumps_writes_it(text: str) -> None:
    in_page = page_to_dict(page(text))["updates"][0]

    stored = update_json(page(text).updates[0])

    assert stored == json.dumps({**in_page, "pinned": False}, ensure_ascii=False, separators=(",", ":"))
