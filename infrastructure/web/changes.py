"""What readers see change, version by version: the changes feed's and the stream's items.

A change is derived from one story event (its type and update) and the page just after it: the
update as the page then showed it, rendered as the page renders it. The cursor is the story
version, so a change at a version never changes and can be cached for good.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from domain.meanings import MEANINGS_BY_NAME
from domain.page import Page
from infrastructure.page_json import header_to_dict, update_to_dict
from infrastructure.rendering.times import iso
from infrastructure.web.html import render_update
from infrastructure.web.reading import StoryEvent

READER_KINDS = tuple(sorted({m.reader_change for m in MEANINGS_BY_NAME.values() if m.reader_change}))
"""Every kind of change readers may see: the stream's event names, which the page hands the live
client (`data-kinds`) so that a new kind reaches it with no list to keep there."""


@dataclass(frozen=True)
class Change:
    """`{"version", "at", "kind", "update", "item", "html"}`: `item` is the update as the page
    JSON shows it after the change (null for a retraction), or for a change to the story itself
    its header (every field of the page's `Header`, named as in the page JSON); `html` the
    update's rendered `<article>` (null for a retraction and for changes to the story itself)."""

    version: int
    at: str
    kind: str
    update: int | None
    item: dict[str, Any] | None
    html: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "at": self.at,
            "kind": self.kind,
            "update": self.update,
            "item": self.item,
            "html": self.html,
        }

    def json_text(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


def kind_of(event: StoryEvent) -> str | None:
    """The kind of change readers see, as the event's meaning says (`Meaning.reader_change`);
    None for an event that changes nothing on a page a reader already has."""
    meaning = MEANINGS_BY_NAME.get(event.event_type)
    return None if meaning is None else meaning.reader_change


def change_of(event: StoryEvent, page: Page) -> Change | None:
    """The change readers see from `event`, given the page just after it; None if it shows none.
    An event that names no update changes the story itself: its item is the header."""
    kind = kind_of(event)
    if kind is None:
        return None
    at = iso(event.at)
    if kind == "retracted":
        return Change(event.version, at, kind, event.update, None, None)
    if event.update is None:
        return Change(event.version, at, kind, None, header_to_dict(page.header), None)
    update = page.update(event.update)
    if update is None:
        return Change(event.version, at, kind, event.update, None, None)
    pinned = page.is_pinned(update)
    html = render_update(update, pinned=pinned, zone=page.header.time_zone)
    return Change(event.version, at, kind, event.update, update_to_dict(update, pinned=pinned), html)


def changes_json(slug: str, version: int, changes: list[Change], has_more: bool) -> str:
    """The changes feed's answer: `{"slug", "version", "changes", "has_more"}`."""
    items = ",".join(c.json_text() for c in changes)
    return (
        f'{{"slug":{json.dumps(slug)},"version":{version},"changes":[{items}],'
        f'"has_more":{"true" if has_more else "false"}}}'
    )
