"""The page's documented JSON, both ways: the one place that turns a `Page`, its header,
updates, blocks and corrections into JSON, and back.

One writer lays out each shape (`_Layout`), in the two forms the newsroom keeps:
- compact text, as `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` writes it: what
  the live-page read model stores per update (`update_json`, `"pinned"` false there, being the
  header's to say; written out directly, since a rebuild writes one per event, and held to the
  layout's by tests/rendering) and per header (`header_json`);
- the output of `newsroom page --format json` (`page_json`): exactly
  `json.dumps(page_to_dict(page), ensure_ascii=False, indent=2)`, written out directly because
  the standard library's indenting encoder is pure Python (tests/rendering hold it to that).
JSON values (`page_to_dict`, `update_to_dict`), for the history's before/after, the audit and the
readers' changes, are that text read back. One reader (`update_from_dict`, `page_from_dict`)
turns any of them into the typed page. Times are ISO 8601 in UTC with a `Z`
(`rendering/times.py: iso`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from datetime import datetime
from functools import lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints, overload

from domain.blocks import Block, BulletList, Image, Paragraph, Quote, block_from_dict, block_to_dict
from domain.page import Correction, Header, Page, Update
from infrastructure.rendering.times import iso

JsonObject = dict[str, Any]

_BLOCK_TYPES = (Paragraph, Quote, BulletList, Image)
_HEADER_FIELDS = tuple(f.name for f in fields(Header))
_AFTER_THE_SUMMARY = tuple(
    name for name in _HEADER_FIELDS if name not in ("slug", "headline", "standfirst", "status", "pinned")
)
"""The header's fields the page's JSON shows after its summary, in order: all but those the summary
shows and `pinned` (each update says whether it is pinned)."""


def _reader(hint: Any) -> Callable[[Any], Any] | None:
    """How a header field of this type is read back from its JSON value, if not as it is."""
    options = get_args(hint) if get_origin(hint) in (UnionType, Union) else (hint,)
    kinds = {get_origin(option) or option for option in options}
    return datetime.fromisoformat if datetime in kinds else tuple if tuple in kinds else None


_HEADER_READERS = {
    name: reader for name, hint in get_type_hints(Header).items() if (reader := _reader(hint)) is not None
}
"""The header's fields whose JSON values are read back as another type: times, tuples."""


# JSON values: the writer's text, read back.


def update_to_dict(update: Update, *, pinned: bool = False) -> JsonObject:
    value: JsonObject = json.loads(_update(update, pinned, COMPACT, 0))
    return value


def page_summary_to_dict(page: Page) -> JsonObject:
    """The page without its updates, as the readers' web lists stories."""
    value: JsonObject = json.loads(COMPACT.object(_summary(page), 0))
    return value


def page_to_dict(page: Page) -> JsonObject:
    """The documented JSON shape of a page."""
    value: JsonObject = json.loads(_page(page, COMPACT))
    return value


def header_to_dict(header: Header) -> JsonObject:
    """The page's header as the live-page read model stores it: each field of `Header` by name,
    times ISO 8601 in UTC."""
    return {name: values(getattr(header, name)) for name in _HEADER_FIELDS}


def header_from_dict(data: JsonObject) -> Header:
    """The header of these values; a field they lack (stored before it was one) takes its default."""
    return Header(**{name: _header_value(name, data[name]) for name in _HEADER_FIELDS if name in data})


def _header_value(name: str, value: Any) -> Any:
    reader = _HEADER_READERS.get(name)
    return value if reader is None or value is None else reader(value)


def header_json(header: Header) -> str:
    """The header as compact JSON (one column of the live-page read model)."""
    return _compact(header_to_dict(header))  # its fields are plain values: no layout of its own


@lru_cache(maxsize=4096)
def header_from_json(text: str) -> Header:
    """The header `header_json` wrote (kept: a story's header is read back on every event)."""
    return header_from_dict(json.loads(text))


def update_from_dict(data: JsonObject) -> Update:
    revised_at = data["revised_at"]
    return Update(
        number=data["number"],
        title=data["title"],
        byline=data["byline"],
        blocks=tuple([block_from_dict(b) for b in data["blocks"]]),
        posted_at=datetime.fromisoformat(data["posted_at"]),
        revised_at=None if revised_at is None else datetime.fromisoformat(revised_at),
        key_event=data["key_event"],
        corrections=tuple(
            [
                Correction(datetime.fromisoformat(c["at"]), c["quote"], c["note"], c["editor"])
                for c in data["corrections"]
            ]
        ),
    )


def page_from_dict(data: JsonObject) -> Page:
    """The page that `page_to_dict` (or `page_json`) gave."""
    pinned = next((u["number"] for u in data["updates"] if u["pinned"]), None)
    header = header_from_dict(data | {"pinned": pinned})
    updates = [update_from_dict(u) for u in data["updates"]]
    return Page(header, data["version"], datetime.fromisoformat(data["updated_at"]), updates)


def values(value: Any) -> Any:
    """A history's before or after value as JSON values: blocks become objects, times ISO 8601 UTC."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {name: values(v) for name, v in value.items()}
    if isinstance(value, tuple | list):
        return [values(v) for v in value]
    if isinstance(value, _BLOCK_TYPES):
        return block_to_dict(value)
    return value


# The compact text the live-page read model stores.


def update_json(update: Update) -> str:
    """The update as compact JSON, `"pinned": false`: the text `_update` lays out compact
    (tests/rendering hold the two to each other), written out directly, since every event a
    rebuild applies writes one and the general layout's lists of members cost half of it."""
    revised_at = update.revised_at
    return (
        '{"number":' + str(update.number)
        + ',"title":' + _string(update.title)
        + ',"byline":' + _optional(update.byline)
        + ',"posted_at":"' + iso(update.posted_at)
        + ('","revised_at":null' if revised_at is None else '","revised_at":"' + iso(revised_at) + '"')
        + ',"pinned":false,"key_event":' + _BOOLEAN[update.key_event]
        + ',"blocks":[' + ",".join([_COMPACT_BLOCK[type(b)](b) for b in update.blocks])  # type: ignore[operator]
        + '],"corrections":[' + ",".join([_compact_correction(c) for c in update.corrections])
        + "]}"
    )  # fmt: skip


def _compact_paragraph(block: Paragraph) -> str:
    return '{"kind":"paragraph","text":' + _string(block.text) + "}"


def _compact_quote(block: Quote) -> str:
    attribution = _optional(block.attribution)
    return '{"kind":"quote","text":' + _string(block.text) + ',"attribution":' + attribution + "}"


def _compact_list(block: BulletList) -> str:
    items = ",".join([_string(item) for item in block.items])
    return '{"kind":"list","items":[' + items + '],"ordered":' + _BOOLEAN[block.ordered] + "}"


def _compact_image(block: Image) -> str:
    return (
        '{"kind":"image","caption":' + _string(block.caption)
        + ',"source":' + _optional(block.source)
        + ',"credit":' + _optional(block.credit) + "}"
    )  # fmt: skip


_COMPACT_BLOCK = {
    Paragraph: _compact_paragraph,
    Quote: _compact_quote,
    BulletList: _compact_list,
    Image: _compact_image,
}


def _compact_correction(correction: Correction) -> str:
    return (
        '{"at":"' + iso(correction.at)
        + '","quote":' + str(correction.quote)
        + ',"note":' + _string(correction.note)
        + ',"editor":' + _string(correction.editor) + "}"
    )  # fmt: skip


def update_from_json(text: str) -> Update:
    return update_from_dict(json.loads(text))


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class StoredUpdates(Sequence[Update]):
    """A page's updates as the read model stores them, each decoded when first asked for: a page
    read is a fetch, and only what a renderer touches is decoded."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts
        self._decoded: list[Update | None] = [None] * len(texts)

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Update: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Update]: ...

    def __getitem__(self, index: int | slice) -> Update | Sequence[Update]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        update = self._decoded[index]
        if update is None:
            update = self._decoded[index] = update_from_json(self._texts[index])
        return update

    def __iter__(self) -> Iterator[Update]:
        if self._texts and all(update is None for update in self._decoded):
            # The whole page is wanted: one parse of all the rows is quicker than one a row.
            every = json.loads("[" + ",".join(self._texts) + "]")
            self._decoded = [update_from_dict(data) for data in every]
        for index in range(len(self._texts)):
            yield self[index]


# The output of `newsroom page --format json`.


def page_json(page: Page) -> str:
    """`json.dumps(page_to_dict(page), ensure_ascii=False, indent=2)`."""
    return _page(page, INDENTED)


# The one writer: each shape's members, laid out compact or indented.


class _Layout:
    """How JSON text is laid out: compact, or as `json.dumps(indent=2)` shows a value at its depth
    (a depth's members or items two spaces further in)."""

    def __init__(self, indented: bool) -> None:
        self.indented = indented
        self.colon = ": " if indented else ":"

    def object(self, members: list[tuple[str, str]], depth: int) -> str:
        fields = [f'"{name}"{self.colon}{value}' for name, value in members]
        return self._joined("{", fields, "}", depth)

    def array(self, items: list[str], depth: int) -> str:
        return self._joined("[", items, "]", depth) if items else "[]"

    def _joined(self, start: str, parts: list[str], end: str, depth: int) -> str:
        if not self.indented:
            return start + ",".join(parts) + end
        inner = "\n" + "  " * (depth + 1)
        return start + inner + ("," + inner).join(parts) + "\n" + "  " * depth + end


COMPACT = _Layout(indented=False)
INDENTED = _Layout(indented=True)


def _summary(page: Page) -> list[tuple[str, str]]:
    return [
        ("slug", _string(page.slug)),
        ("headline", _string(page.headline)),
        ("standfirst", _optional(page.standfirst)),
        ("status", _string(page.status)),
        ("version", str(page.version)),
        ("updated_at", _string(iso(page.updated_at))),
    ]


def _page(page: Page, layout: _Layout) -> str:
    key_events = [_key_event(u, layout, 2) for u in page.key_events]
    updates = [_update(u, page.is_pinned(u), layout, 2) for u in page.updates]
    header = [(name, _value(getattr(page.header, name), layout, 1)) for name in _AFTER_THE_SUMMARY]
    members = [
        *_summary(page),
        *header,
        ("key_events", layout.array(key_events, 1)),
        ("updates", layout.array(updates, 1)),
    ]
    return layout.object(members, 0)


def _update(update: Update, pinned: bool, layout: _Layout, depth: int) -> str:
    blocks = [_block(b, layout, depth + 2) for b in update.blocks]
    corrections = [_correction(c, layout, depth + 2) for c in update.corrections]
    members = [
        ("number", str(update.number)),
        ("title", _string(update.title)),
        ("byline", _optional(update.byline)),
        ("posted_at", _string(iso(update.posted_at))),
        ("revised_at", _optional(iso(update.revised_at))),
        ("pinned", _BOOLEAN[pinned]),
        ("key_event", _BOOLEAN[update.key_event]),
        ("blocks", layout.array(blocks, depth + 1)),
        ("corrections", layout.array(corrections, depth + 1)),
    ]
    return layout.object(members, depth)


def _key_event(update: Update, layout: _Layout, depth: int) -> str:
    members = [
        ("number", str(update.number)),
        ("title", _string(update.title)),
        ("posted_at", _string(iso(update.posted_at))),
    ]
    return layout.object(members, depth)


def _block(block: Block, layout: _Layout, depth: int) -> str:
    """A block as `domain.blocks.block_to_dict` gives it."""
    members: list[tuple[str, str]]
    if isinstance(block, Paragraph):
        members = [("kind", '"paragraph"'), ("text", _string(block.text))]
    elif isinstance(block, Quote):
        members = [
            ("kind", '"quote"'),
            ("text", _string(block.text)),
            ("attribution", _optional(block.attribution)),
        ]
    elif isinstance(block, BulletList):
        items = layout.array([_string(i) for i in block.items], depth + 1)
        members = [("kind", '"list"'), ("items", items), ("ordered", _BOOLEAN[block.ordered])]
    else:
        members = [
            ("kind", '"image"'),
            ("caption", _string(block.caption)),
            ("source", _optional(block.source)),
            ("credit", _optional(block.credit)),
        ]
    return layout.object(members, depth)


def _value(value: Any, layout: _Layout, depth: int) -> str:
    """A header field's value: a time ISO 8601, a tuple an array, any other as JSON writes it."""
    if isinstance(value, datetime):
        return _string(iso(value))
    if isinstance(value, tuple):
        return layout.array([_value(v, layout, depth + 1) for v in value], depth)
    return _compact(value)


def _correction(correction: Correction, layout: _Layout, depth: int) -> str:
    members = [
        ("at", _string(iso(correction.at))),
        ("quote", str(correction.quote)),
        ("note", _string(correction.note)),
        ("editor", _string(correction.editor)),
    ]
    return layout.object(members, depth)


_BOOLEAN = {True: "true", False: "false"}
_string = encode_basestring
"""A str as a JSON string, as `json.dumps(..., ensure_ascii=False)` writes it."""


def _optional(text: str | None) -> str:
    return "null" if text is None else encode_basestring(text)
