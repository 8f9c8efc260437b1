"""The page's documented JSON, both ways: the one place that turns a `Page`, its updates, blocks
and corrections into JSON values or text, and back.

Three forms of the same shape:
- compact text of one update (`update_json`), which the live-page read model stores per row and
  reads back (`update_from_json`); `"pinned"` is false there, being the page header's to say;
  and of the header (`header_json`), which it stores per story and per version that changed it;
- JSON values (`page_to_dict`, `block_to_dict`...), for the history's before/after and callers
  that build bigger documents;
- the output of `newsroom page --format json` (`page_json`): exactly
  `json.dumps(page_to_dict(page), ensure_ascii=False, indent=2)`, written out directly because
  the standard library's indenting encoder is pure Python (tests/rendering hold it to that).
Times are ISO 8601 in UTC with a `Z` (`rendering/times.py: iso`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import datetime
from functools import lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any, overload

from domain.blocks import Block, BulletList, Image, Paragraph, Quote, block_from_dict, block_to_dict
from domain.page import Correction, Header, Page, Update
from infrastructure.rendering.times import iso

JsonObject = dict[str, Any]

_BLOCK_TYPES = (Paragraph, Quote, BulletList, Image)
_HEADER_FIELDS = tuple(f.name for f in fields(Header))


# JSON values.


def correction_to_dict(correction: Correction) -> JsonObject:
    return {
        "at": iso(correction.at),
        "quote": correction.quote,
        "note": correction.note,
        "editor": correction.editor,
    }


def update_to_dict(update: Update, *, pinned: bool = False) -> JsonObject:
    return {
        "number": update.number,
        "title": update.title,
        "byline": update.byline,
        "posted_at": iso(update.posted_at),
        "revised_at": iso(update.revised_at),
        "pinned": pinned,
        "key_event": update.key_event,
        "blocks": [block_to_dict(b) for b in update.blocks],
        "corrections": [correction_to_dict(c) for c in update.corrections],
    }


def key_event_to_dict(update: Update) -> JsonObject:
    return {"number": update.number, "title": update.title, "posted_at": iso(update.posted_at)}


def page_summary_to_dict(page: Page) -> JsonObject:
    """The page without its updates, as the readers' web lists stories."""
    return {
        "slug": page.slug,
        "headline": page.headline,
        "standfirst": page.standfirst,
        "status": page.status,
        "version": page.version,
        "updated_at": iso(page.updated_at),
    }


def page_to_dict(page: Page) -> JsonObject:
    """The documented JSON shape of a page."""
    return {
        **page_summary_to_dict(page),
        "key_events": [key_event_to_dict(u) for u in page.key_events],
        "updates": [update_to_dict(u, pinned=page.is_pinned(u)) for u in page.updates],
    }


def header_to_dict(header: Header) -> JsonObject:
    """The page's header as the live-page read model stores it: each field of `Header` by name."""
    return {name: getattr(header, name) for name in _HEADER_FIELDS}


def header_from_dict(data: JsonObject) -> Header:
    return Header(**{name: data[name] for name in _HEADER_FIELDS})


def header_json(header: Header) -> str:
    """The header as compact JSON (one column of the live-page read model)."""
    return _compact(header_to_dict(header))


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
    header = Header(data["slug"], data["headline"], data["standfirst"], data["status"], pinned)
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


# The compact text of one update (what the live-page read model stores).


def update_json(update: Update) -> str:
    """The update as compact JSON, `"pinned": false`."""
    return (
        f'{{"number":{update.number},"title":{_string(update.title)},"byline":{_optional(update.byline)},'
        f'"posted_at":{_string(iso(update.posted_at))},"revised_at":{_optional(iso(update.revised_at))},'
        f'"pinned":false,"key_event":{_BOOLEAN[update.key_event]},'
        f'"blocks":{blocks_json(update.blocks)},"corrections":{_corrections_json(update.corrections)}}}'
    )


def update_from_json(text: str) -> Update:
    return update_from_dict(json.loads(text))


def blocks_json(blocks: Sequence[Block]) -> str:
    """Blocks as a compact JSON array, as `block_to_dict` gives each."""
    return "[" + ",".join([_block_json(b) for b in blocks]) + "]"


def _block_json(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f'{{"kind":"paragraph","text":{_string(block.text)}}}'
    if isinstance(block, Quote):
        return f'{{"kind":"quote","text":{_string(block.text)},"attribution":{_optional(block.attribution)}}}'
    if isinstance(block, BulletList):
        items = ",".join([_string(i) for i in block.items])
        return f'{{"kind":"list","items":[{items}],"ordered":{_BOOLEAN[block.ordered]}}}'
    return (
        f'{{"kind":"image","caption":{_string(block.caption)},"source":{_optional(block.source)},'
        f'"credit":{_optional(block.credit)}}}'
    )


def _corrections_json(corrections: tuple[Correction, ...]) -> str:
    return _compact([correction_to_dict(c) for c in corrections]) if corrections else "[]"


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


# The output of `newsroom page --format json`: each value as `json.dumps(..., indent=2)` shows it
# at its place in the page (an update or a key event at 4 spaces, its blocks at 8, their fields at 10).


def page_json(page: Page) -> str:
    """`json.dumps(page_to_dict(page), ensure_ascii=False, indent=2)`."""
    key_events = [_indented_key_event(u) for u in page.key_events]
    updates = [_indented_update(u, page.is_pinned(u)) for u in page.updates]
    return (
        "{\n"
        f'  "slug": {_string(page.slug)},\n'
        f'  "headline": {_string(page.headline)},\n'
        f'  "standfirst": {_optional(page.standfirst)},\n'
        f'  "status": {_string(page.status)},\n'
        f'  "version": {page.version},\n'
        f'  "updated_at": {_string(iso(page.updated_at))},\n'
        f'  "key_events": {_indented_list(key_events, 2)},\n'
        f'  "updates": {_indented_list(updates, 2)}\n'
        "}"
    )


def _indented_update(update: Update, pinned: bool) -> str:
    blocks = _indented_list([_indented_block(b) for b in update.blocks], 6)
    corrections = _indented_list([_indented_correction(c) for c in update.corrections], 6)
    return (
        "{\n"
        f'      "number": {update.number},\n'
        f'      "title": {_string(update.title)},\n'
        f'      "byline": {_optional(update.byline)},\n'
        f'      "posted_at": {_string(iso(update.posted_at))},\n'
        f'      "revised_at": {_optional(iso(update.revised_at))},\n'
        f'      "pinned": {_BOOLEAN[pinned]},\n'
        f'      "key_event": {_BOOLEAN[update.key_event]},\n'
        f'      "blocks": {blocks},\n'
        f'      "corrections": {corrections}\n'
        "    }"
    )


def _indented_key_event(update: Update) -> str:
    return (
        "{\n"
        f'      "number": {update.number},\n'
        f'      "title": {_string(update.title)},\n'
        f'      "posted_at": {_string(iso(update.posted_at))}\n'
        "    }"
    )


def _indented_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        fields = ['"kind": "paragraph"', f'"text": {_string(block.text)}']
    elif isinstance(block, Quote):
        attribution = _optional(block.attribution)
        fields = ['"kind": "quote"', f'"text": {_string(block.text)}', f'"attribution": {attribution}']
    elif isinstance(block, BulletList):
        items = _indented_list([_string(i) for i in block.items], 10)
        fields = ['"kind": "list"', f'"items": {items}', f'"ordered": {_BOOLEAN[block.ordered]}']
    else:
        fields = [
            '"kind": "image"',
            f'"caption": {_string(block.caption)}',
            f'"source": {_optional(block.source)}',
            f'"credit": {_optional(block.credit)}',
        ]
    return "{\n" + ",\n".join(["          " + f for f in fields]) + "\n        }"


def _indented_correction(correction: Correction) -> str:
    return (
        "{\n"
        f'          "at": {_string(iso(correction.at))},\n'
        f'          "quote": {correction.quote},\n'
        f'          "note": {_string(correction.note)},\n'
        f'          "editor": {_string(correction.editor)}\n'
        "        }"
    )


def _indented_list(items: list[str], indent: int) -> str:
    """Items already laid out for `indent + 2` spaces, in a list at `indent` spaces."""
    if not items:
        return "[]"
    inner = " " * (indent + 2)
    return "[\n" + ",\n".join(inner + item for item in items) + "\n" + " " * indent + "]"


_BOOLEAN = {True: "true", False: "false"}
_string = encode_basestring
"""A str as a JSON string, as `json.dumps(..., ensure_ascii=False)` writes it."""


def _optional(text: str | None) -> str:
    return "null" if text is None else encode_basestring(text)
