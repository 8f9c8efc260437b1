"""The revision-history read model: one row per story event, saying in words what changed.

Tables: `history_events` (one row per event: the story's version after it, the time, the editor,
a label such as "Quote corrected in update 3", the reason, and what changed before and after, as
JSON), and the state the labels need to say what was there before: `history_stories` (headline,
standfirst, status) and `history_updates` (title and blocks, kept after a retraction too).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, Uuid, func, select
from sqlalchemy.engine import Connection, Engine

from domain import rules
from domain.blocks import block_to_dict, quotes_in
from domain.errors import StoryNotFound, UpdateNotFound
from domain.story import CLOSED, DRAFT, LIVE, Story
from infrastructure.projections.database import Moment, snapshot
from infrastructure.projections.live_page import blocks_as_dicts, blocks_from_json, blocks_json
from infrastructure.projections.projection import Notified, ReadModelProjection, Rows

metadata = MetaData()

history_events = Table(
    "history_events",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("at", Moment, nullable=False),
    Column("editor", String(64), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("update_number", Integer),
    Column("label", Text, nullable=False),
    Column("reason", Text),
    Column("before", Text),
    Column("after", Text),
)

history_stories = Table(
    "history_stories",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("headline", Text, nullable=False),
    Column("standfirst", Text),
    Column("status", String(16), nullable=False),
)

history_updates = Table(
    "history_updates",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("blocks", Text, nullable=False),
)

_NEEDS_UPDATE_ROW = (Story.UpdateRevised, Story.QuoteCorrected)


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a story as the revision history tells it."""

    version: int
    at: datetime
    editor: str
    event_type: str
    update: int | None
    label: str
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class _Change:
    """What one event changed: its words, and the values before and after."""

    label: str
    reason: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class HistoryProjection(ReadModelProjection):
    """Appends a `history_events` row for every story event, with what it changed."""

    name = "history"
    version = 1
    metadata = metadata

    def apply(self, connection: Connection, events: Sequence[Notified]) -> None:
        stories, updates = Rows(history_stories), Rows(history_updates)
        stories.load(
            connection, {(n.event.originator_id,) for n in events if not isinstance(n.event, Story.Opened)}
        )
        updates.load(
            connection,
            {
                (n.event.originator_id, n.event.number)
                for n in events
                if isinstance(n.event, _NEEDS_UPDATE_ROW)
            },
        )
        rows = [_history_row(n.event, stories, updates) for n in events]
        stories.flush(connection)
        updates.flush(connection)
        connection.execute(history_events.insert(), rows)


def _history_row(event: Any, stories: Rows, updates: Rows) -> dict[str, Any]:
    handler = _HANDLERS.get(type(event))
    change = handler(event, stories, updates) if handler else _Change(type(event).__name__)
    return {
        "story_id": event.originator_id,
        "version": event.originator_version,
        "at": event.timestamp,
        "editor": event.editor,
        "event_type": type(event).__name__,
        "update_number": getattr(event, "number", None),
        "label": change.label,
        "reason": change.reason,
        "before": _json(change.before),
        "after": _json(change.after),
    }


def _opened(event: Any, stories: Rows, _updates: Rows) -> _Change:
    stories.put(
        (event.originator_id,),
        {
            "story_id": event.originator_id,
            "headline": event.headline,
            "standfirst": event.standfirst,
            "status": DRAFT,
        },
    )
    return _Change("Story opened", after={"headline": event.headline, "standfirst": event.standfirst})


def _headline_changed(event: Any, stories: Rows, _updates: Rows) -> _Change:
    before = _story_value(stories, event, "headline")
    stories.change((event.originator_id,), headline=event.headline)
    return _Change(
        "Headline changed", event.reason, before={"headline": before}, after={"headline": event.headline}
    )


def _standfirst_changed(event: Any, stories: Rows, _updates: Rows) -> _Change:
    before = _story_value(stories, event, "standfirst")
    stories.change((event.originator_id,), standfirst=event.standfirst)
    if event.standfirst is None:
        label = "Standfirst removed"
    elif before is None:
        label = "Standfirst added"
    else:
        label = "Standfirst changed"
    return _Change(label, before={"standfirst": before}, after={"standfirst": event.standfirst})


def _status(label: str, status: str) -> Callable[[Any, Rows, Rows], _Change]:
    def handle(event: Any, stories: Rows, _updates: Rows) -> _Change:
        before = _story_value(stories, event, "status")
        stories.change((event.originator_id,), status=status)
        return _Change(label, before={"status": before}, after={"status": status})

    return handle


def _update_posted(event: Any, _stories: Rows, updates: Rows) -> _Change:
    blocks = blocks_json(event.body)
    updates.put(
        (event.originator_id, event.number),
        {"story_id": event.originator_id, "number": event.number, "title": event.title, "blocks": blocks},
    )
    return _Change(
        f"Update {event.number} posted",
        after={
            "title": event.title,
            "byline": event.byline,
            "key_event": event.key_event,
            "blocks": [block_to_dict(b) for b in event.body],
        },
    )


def _update_revised(event: Any, _stories: Rows, updates: Rows) -> _Change:
    key = (event.originator_id, event.number)
    row = updates.get(key) or {"title": None, "blocks": "[]"}
    before = {"title": row["title"], "blocks": blocks_as_dicts(row["blocks"])}
    title = row["title"] if event.title is None else event.title  # None: the revision kept it
    if event.body is None:  # the revision kept the body
        updates.change(key, title=title)
        return _Change(
            f"Update {event.number} revised",
            event.reason,
            before=before,
            after={"title": title, "blocks": before["blocks"]},
        )
    updates.change(key, title=title, blocks=blocks_json(event.body))
    return _Change(
        f"Update {event.number} revised",
        event.reason,
        before=before,
        after={"title": title, "blocks": [block_to_dict(b) for b in event.body]},
    )


def _quote_corrected(event: Any, _stories: Rows, updates: Rows) -> _Change:
    key = (event.originator_id, event.number)
    row = updates.get(key)
    before: dict[str, Any] | None = None
    after = {"quote": event.quote, "text": event.text, "attribution": event.attribution or None}
    if row is not None:
        blocks = list(blocks_from_json(row["blocks"]))
        position, old = quotes_in(tuple(blocks))[event.quote - 1]
        new = event.corrected(old)
        before = {"quote": event.quote, "text": old.text, "attribution": old.attribution}
        after = {"quote": event.quote, "text": new.text, "attribution": new.attribution}
        blocks[position] = new
        updates.change(key, blocks=blocks_json(blocks))
    return _Change(f"Quote corrected in update {event.number}", event.note, before=before, after=after)


def _labelled(words: str, *, with_reason: bool = False) -> Callable[[Any, Rows, Rows], _Change]:
    def handle(event: Any, _stories: Rows, _updates: Rows) -> _Change:
        return _Change(words.format(number=event.number), event.reason if with_reason else None)

    return handle


_HANDLERS: dict[type, Callable[[Any, Rows, Rows], _Change]] = {
    Story.Opened: _opened,
    Story.HeadlineChanged: _headline_changed,
    Story.StandfirstChanged: _standfirst_changed,
    Story.Published: _status("Story published", LIVE),
    Story.Closed: _status("Story closed", CLOSED),
    Story.Reopened: _status("Story reopened", LIVE),
    Story.UpdatePosted: _update_posted,
    Story.UpdateRevised: _update_revised,
    Story.QuoteCorrected: _quote_corrected,
    Story.UpdateRetracted: _labelled("Update {number} retracted", with_reason=True),
    Story.UpdatePinned: _labelled("Update {number} pinned"),
    Story.UpdateUnpinned: _labelled("Update {number} unpinned"),
    Story.KeyEventMarked: _labelled("Update {number} marked as a key event"),
    Story.KeyEventUnmarked: _labelled("Update {number} no longer a key event"),
}


def _story_value(stories: Rows, event: Any, column: str) -> Any:
    row = stories.get((event.originator_id,))
    return None if row is None else row[column]


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else _encode(value)


# Reading.


def read_history(source: Connection | Engine, slug: str, update: int | None = None) -> list[HistoryEntry]:
    """The story's events, oldest first, as the history tells them; with `update`, that update's."""
    story_id = Story.id_for(rules.valid_slug(slug))
    query = select(
        history_events.c.version,
        history_events.c.at,
        history_events.c.editor,
        history_events.c.event_type,
        history_events.c.update_number,
        history_events.c.label,
        history_events.c.reason,
        history_events.c.before,
        history_events.c.after,
    ).where(history_events.c.story_id == story_id)
    if update is not None:
        query = query.where(history_events.c.update_number == update)
    with snapshot(source) as connection:
        rows = connection.execute(query.order_by(history_events.c.version)).all()
        if not rows:
            _refuse_empty(connection, slug, story_id, update)
    return [
        HistoryEntry(
            version=version,
            at=at,
            editor=editor,
            event_type=event_type,
            update=number,
            label=label,
            reason=reason,
            before=None if before is None else json.loads(before),
            after=None if after is None else json.loads(after),
        )
        for version, at, editor, event_type, number, label, reason, before, after in rows
    ]


def _refuse_empty(connection: Connection, slug: str, story_id: Any, update: int | None) -> None:
    last = connection.execute(
        select(func.max(history_updates.c.number)).where(history_updates.c.story_id == story_id)
    ).scalar()
    exists = connection.execute(
        select(history_stories.c.story_id).where(history_stories.c.story_id == story_id)
    ).first()
    if exists is None:
        raise StoryNotFound(slug)
    assert update is not None
    raise UpdateNotFound(slug, update, last or 0)
