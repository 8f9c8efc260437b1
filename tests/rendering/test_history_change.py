"""The stored JSON of a post's blocks (both read models' `blocks_text`, written out by hand for speed),
against `block_to_dict`."""

from __future__ import annotations

import json
from dataclasses import fields
from types import SimpleNamespace

import pytest

from domain.blocks import BLOCK_KINDS, Block, BulletList, Image, Paragraph, Quote, block_to_dict
from infrastructure.projections.projection import Notified
from infrastructure.rendering.page_view import blocks_text

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


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: type(b).__name__)
def test_a_block_is_stored_as_block_to_dict_gives_it(block: Block) -> None:
    stored = json.loads(blocks_text([block]))[0]

    assert stored == block_to_dict(block)
    assert list(stored) == list(block_to_dict(block))  # the same order of keys in JSON output


def test_every_kind_of_block_and_every_field_is_written() -> None:
    written = {type(b) for b in BLOCKS}

    assert written == set(BLOCK_KINDS.values())
    for kind in BLOCK_KINDS.values():
        example = next(b for b in BLOCKS if type(b) is kind)
        assert set(json.loads(blocks_text([example]))[0]) == {"kind", *(f.name for f in fields(kind))}


def test_a_body_is_a_list_formatted_once_and_a_kept_body_is_none() -> None:
    posted = Notified(1, SimpleNamespace(body=tuple(BLOCKS)))  # type: ignore[arg-type]
    kept = Notified(2, SimpleNamespace(body=None))  # type: ignore[arg-type]

    assert json.loads(posted.body_text()) == [block_to_dict(b) for b in BLOCKS]
    assert posted.body_text() is posted.body_text()
    assert kept.body_text() is None
