"""The page as readers get it, which every renderer (text, JSON, HTML) takes.

Each update and each key event is held as compact JSON text in the public shape, which the
live-page read model stores as it is: reading a page is then a fetch with nothing to decode, and
the renderers decode the texts when they need them (`updates`, `key_events`). The JSON output is
formatted from those values by the functions below, as `json.dumps(..., indent=2,
ensure_ascii=False)` would (held to it by tests/unit/test_page_view.py) but without its
pure-Python encoder. A page folded from events (`LivePage`) is turned into the same texts by
`page_view`, so both render through the same code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from domain.blocks import Block, BulletList, Image, Paragraph, Quote
from domain.live_page import LivePage, PageUpdate
from infrastructure.rendering.times import iso

JsonObject = dict[str, Any]
"""An update `{"number", "title", "byline", "posted_at", "revised_at", "pinned", "key_event",
"blocks", "corrections"}`, a block (`block_to_dict`), a correction `{"at", "quote", "note",
"editor"}` or a key event `{"number", "title", "posted_at"}`; times as `iso()` gives them."""

PINNED, NOT_PINNED = '"pinned":true', '"pinned":false'
"""How an update's text says whether it is pinned (the key cannot occur inside a JSON string)."""


@dataclass(frozen=True, eq=False)
class PageView:
    """The page in reading order (the pinned update first, then newest first), times as ISO text."""

    slug: str
    headline: str
    standfirst: str | None
    status: str
    version: int
    updated_at: str
    key_event_texts: list[str]
    update_texts: list[str]

    @cached_property
    def key_events(self) -> list[JsonObject]:
        return _decoded(self.key_event_texts)

    @cached_property
    def updates(self) -> list[JsonObject]:
        return _decoded(self.update_texts)

    def to_dict(self) -> JsonObject:
        """The documented JSON shape of a page."""
        return {
            "slug": self.slug,
            "headline": self.headline,
            "standfirst": self.standfirst,
            "status": self.status,
            "version": self.version,
            "updated_at": self.updated_at,
            "key_events": self.key_events,
            "updates": self.updates,
        }

    def json_text(self) -> str:
        """`json.dumps(self.to_dict(), ensure_ascii=False, indent=2)`."""
        key_events = [_indented_key_event(k) for k in self.key_events]
        updates = [_indented_update(u) for u in self.updates]
        return (
            "{\n"
            f'  "slug": {_string(self.slug)},\n'
            f'  "headline": {_string(self.headline)},\n'
            f'  "standfirst": {_optional(self.standfirst)},\n'
            f'  "status": {_string(self.status)},\n'
            f'  "version": {self.version},\n'
            f'  "updated_at": {_string(self.updated_at)},\n'
            f'  "key_events": {_items(key_events)},\n'
            f'  "updates": {_items(updates)}\n'
            "}"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PageView) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]


def _decoded(texts: list[str]) -> list[JsonObject]:
    decoded: list[JsonObject] = json.loads("[" + ",".join(texts) + "]")
    return decoded


def page_view(page: LivePage | PageView) -> PageView:
    """The view of a page folded from events (a view is returned as it is)."""
    if isinstance(page, PageView):
        return page
    return PageView(
        slug=page.slug,
        headline=page.headline,
        standfirst=page.standfirst,
        status=page.status,
        version=page.version,
        updated_at=iso(page.updated_at) or "",
        key_event_texts=[key_event_text(k.number, k.title, iso(k.posted_at) or "") for k in page.key_events],
        update_texts=[_update_text(u) for u in page.updates],
    )


def _corrections(update: PageUpdate) -> list[JsonObject]:
    return [
        {"at": iso(c.at), "quote": c.quote, "note": c.note, "editor": c.editor} for c in update.corrections
    ]


def _update_text(update: PageUpdate) -> str:
    return update_text(
        update.number,
        update.title,
        update.byline,
        iso(update.posted_at) or "",
        iso(update.revised_at),
        update.pinned,
        update.key_event,
        blocks_text(update.blocks),
        corrections_text(_corrections(update)),
    )


# The compact texts (what the read model stores).


def update_text(
    number: int,
    title: str,
    byline: str | None,
    posted_at: str,
    revised_at: str | None,
    pinned: bool,
    key_event: bool,
    blocks: str,
    corrections: str,
) -> str:
    """An update; `blocks` and `corrections` as `blocks_text` and `corrections_text` give them."""
    return (
        f'{{"number":{number},"title":{_string(title)},"byline":{_optional(byline)},'
        f'"posted_at":{_string(posted_at)},"revised_at":{_optional(revised_at)},'
        f'{PINNED if pinned else NOT_PINNED},"key_event":{"true" if key_event else "false"},'
        f'"blocks":{blocks},"corrections":{corrections}}}'
    )


def key_event_text(number: int, title: str, posted_at: str) -> str:
    return f'{{"number":{number},"title":{_string(title)},"posted_at":{_string(posted_at)}}}'


def blocks_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    return "[" + ",".join([_block_text(b) for b in blocks]) + "]"


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f'{{"kind":"paragraph","text":{_string(block.text)}}}'
    if isinstance(block, Quote):
        return f'{{"kind":"quote","text":{_string(block.text)},"attribution":{_optional(block.attribution)}}}'
    if isinstance(block, BulletList):
        items = ",".join([_string(i) for i in block.items])
        return f'{{"kind":"list","items":[{items}],"ordered":{"true" if block.ordered else "false"}}}'
    assert isinstance(block, Image)
    return (
        f'{{"kind":"image","caption":{_string(block.caption)},"source":{_optional(block.source)},'
        f'"credit":{_optional(block.credit)}}}'
    )


corrections_text = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""Corrections `[{"at", "quote", "note", "editor"}]` as compact JSON."""


# The JSON output's layout: each value as `json.dumps(..., indent=2)` shows it at its place in the
# page (an update or a key event at 4 spaces, its blocks at 8, their fields at 10).


def _indented_update(update: JsonObject) -> str:
    blocks = _indented_list([_indented_block(b) for b in update["blocks"]], 6)
    corrections = _indented_list([_indented_correction(c) for c in update["corrections"]], 6)
    return (
        "{\n"
        f'      "number": {update["number"]},\n'
        f'      "title": {_string(update["title"])},\n'
        f'      "byline": {_optional(update["byline"])},\n'
        f'      "posted_at": {_string(update["posted_at"])},\n'
        f'      "revised_at": {_optional(update["revised_at"])},\n'
        f'      "pinned": {"true" if update["pinned"] else "false"},\n'
        f'      "key_event": {"true" if update["key_event"] else "false"},\n'
        f'      "blocks": {blocks},\n'
        f'      "corrections": {corrections}\n'
        "    }"
    )


def _indented_key_event(key_event: JsonObject) -> str:
    return (
        "{\n"
        f'      "number": {key_event["number"]},\n'
        f'      "title": {_string(key_event["title"])},\n'
        f'      "posted_at": {_string(key_event["posted_at"])}\n'
        "    }"
    )


def _indented_block(block: JsonObject) -> str:
    kind = block["kind"]
    if kind == "paragraph":
        fields = ['"kind": "paragraph"', f'"text": {_string(block["text"])}']
    elif kind == "quote":
        attribution = _optional(block["attribution"])
        fields = ['"kind": "quote"', f'"text": {_string(block["text"])}', f'"attribution": {attribution}']
    elif kind == "list":
        items = _indented_list([_string(i) for i in block["items"]], 10)
        ordered = "true" if block["ordered"] else "false"
        fields = ['"kind": "list"', f'"items": {items}', f'"ordered": {ordered}']
    else:
        fields = [
            '"kind": "image"',
            f'"caption": {_string(block["caption"])}',
            f'"source": {_optional(block["source"])}',
            f'"credit": {_optional(block["credit"])}',
        ]
    return "{\n" + ",\n".join(["          " + f for f in fields]) + "\n        }"


def _indented_correction(correction: JsonObject) -> str:
    return (
        "{\n"
        f'          "at": {_string(correction["at"])},\n'
        f'          "quote": {correction["quote"]},\n'
        f'          "note": {_string(correction["note"])},\n'
        f'          "editor": {_string(correction["editor"])}\n'
        "        }"
    )


def _indented_list(items: list[str], indent: int) -> str:
    """Items already laid out for `indent + 2` spaces, in a list at `indent` spaces."""
    if not items:
        return "[]"
    inner = " " * (indent + 2)
    return "[\n" + ",\n".join(inner + item for item in items) + "\n" + " " * indent + "]"


def _items(texts: list[str]) -> str:
    return _indented_list(texts, 2)


_string = encode_basestring
"""A str as a JSON string, as `json.dumps(..., ensure_ascii=False)` writes it."""


def _optional(text: str | None) -> str:
    return "null" if text is None else encode_basestring(text)
