"""The revision-history read model: one row per story event, saying in words what changed.

Table `history_events`: one row per event, with the story's version after it, the time, the editor,
the event type, the update it concerns, the reason (a correction's note), and `change`: what the
event itself records, as JSON (a post's title, byline, key-event flag and blocks; a revision's new
title and body, null where kept; a correction's quote number, words and attribution as recorded).
A row is built from its event alone, so applying a batch reads nothing and keeps no state. What was
there before, and the labels that depend on it ("Standfirst added"), are told when the history is
read, by folding the story's rows in version order (`read_history`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, Uuid, func, select
from sqlalchemy.engine import Connection, Engine

from domain import rules
from domain.blocks import Quote, block_to_dict
from domain.errors import StoryNotFound, UpdateNotFound
from domain.story import CLOSED, DRAFT, LIVE, Story
from infrastructure.projections.database import Moment, snapshot
from infrastructure.projections.projection import Notified, ReadModelProjection, insert_many

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
    Column("reason", Text),
    Column("change", Text),
)

JsonObject = dict[str, Any]


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
    before: JsonObject | None
    after: JsonObject | None


class HistoryProjection(ReadModelProjection):
    """Appends a `history_events` row for every story event, with what the event changed."""

    name = "history"
    version = 2
    metadata = metadata
    retired_tables = ("history_stories", "history_updates")  # version 1 kept the state labels needed

    def apply(self, connection: Connection, events: Sequence[Notified]) -> None:
        insert_many(connection, history_events, [_history_row(n) for n in events])


def _history_row(notified: Notified) -> tuple[Any, ...]:
    event: Any = notified.event
    kind = type(event)
    change = _CHANGES.get(kind)
    return (
        event.originator_id,
        event.originator_version,
        event.timestamp,
        event.editor,
        kind.__name__,
        getattr(event, "number", None),
        event.note if kind is Story.QuoteCorrected else getattr(event, "reason", None),
        None if change is None else change(notified),
    )


def _posted(notified: Notified) -> str:
    event: Any = notified.event
    return (
        f'{{"title":{_string(event.title)},"byline":{_optional(event.byline)},'
        f'"key_event":{_BOOLEAN[event.key_event]},"blocks":{notified.body_text()}}}'
    )


def _revised(notified: Notified) -> str:
    event: Any = notified.event
    return f'{{"title":{_optional(event.title)},"blocks":{notified.body_text() or "null"}}}'


def _encoded(*names: str) -> Callable[[Notified], str]:
    def change(notified: Notified) -> str:
        return _encode({name: getattr(notified.event, name) for name in names})

    return change


_CHANGES: dict[type, Callable[[Notified], str]] = {
    Story.Opened: _encoded("headline", "standfirst"),
    Story.HeadlineChanged: _encoded("headline"),
    Story.StandfirstChanged: _encoded("standfirst"),
    Story.UpdatePosted: _posted,
    Story.UpdateRevised: _revised,
    Story.QuoteCorrected: _encoded("quote", "text", "attribution"),
}
"""What each event says, as stored JSON; events not named here say nothing beyond their type."""


# A post's JSON is most of a rebuild's own work: it is written out directly rather than built as
# dicts for the encoder (a third of the time). The blocks come out as `block_to_dict` gives them,
# which tests/unit/test_history_change.py holds to for every kind of block.

_string = encode_basestring
_BOOLEAN = {True: "true", False: "false"}


def _optional(value: str | None) -> str:
    return "null" if value is None else _string(value)


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


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
        history_events.c.reason,
        history_events.c.change,
    ).where(history_events.c.story_id == story_id)
    if update is not None:
        query = query.where(history_events.c.update_number == update)
    with snapshot(source) as connection:
        rows = connection.execute(query.order_by(history_events.c.version)).all()
        if not rows:
            _refuse_empty(connection, slug, story_id, update)
    told = _Told()
    return [told.entry(*row) for row in rows]


class _Update(NamedTuple):
    title: str | None
    blocks: list[JsonObject]


@dataclass
class _Told:
    """What the history has told so far of one story (or one update): what each event changed from.

    An update's rows tell all there is of that update, so the fold is the same whether it reads
    the whole story or only one update's rows.
    """

    headline: str | None = None
    standfirst: str | None = None
    status: str | None = None
    updates: dict[int, _Update] = field(default_factory=dict)

    def entry(
        self,
        version: int,
        at: datetime,
        editor: str,
        event_type: str,
        number: int | None,
        reason: str | None,
        change: str | None,
    ) -> HistoryEntry:
        teller = _TELLERS.get(event_type)
        if teller is None:  # an event type this code does not know: named, nothing more
            return HistoryEntry(version, at, editor, event_type, number, event_type, reason, None, None)
        label, before, after = teller(self, number, {} if change is None else json.loads(change))
        return HistoryEntry(version, at, editor, event_type, number, label, reason, before, after)


_Telling = tuple[str, JsonObject | None, JsonObject | None]
"""An entry's label, and the values before and after its event."""


def _opened(told: _Told, _number: int | None, said: JsonObject) -> _Telling:
    told.headline, told.standfirst, told.status = said["headline"], said["standfirst"], DRAFT
    return "Story opened", None, said


def _headline_changed(told: _Told, _number: int | None, said: JsonObject) -> _Telling:
    before, told.headline = told.headline, said["headline"]
    return "Headline changed", {"headline": before}, said


def _standfirst_changed(told: _Told, _number: int | None, said: JsonObject) -> _Telling:
    before, told.standfirst = told.standfirst, said["standfirst"]
    if told.standfirst is None:
        label = "Standfirst removed"
    elif before is None:
        label = "Standfirst added"
    else:
        label = "Standfirst changed"
    return label, {"standfirst": before}, said


def _status(label: str, status: str) -> Callable[[_Told, int | None, JsonObject], _Telling]:
    def tell(told: _Told, _number: int | None, _said: JsonObject) -> _Telling:
        before, told.status = told.status, status
        return label, {"status": before}, {"status": status}

    return tell


def _update_posted(told: _Told, number: int | None, said: JsonObject) -> _Telling:
    assert number is not None
    told.updates[number] = _Update(said["title"], said["blocks"])
    return f"Update {number} posted", None, said


def _update_revised(told: _Told, number: int | None, said: JsonObject) -> _Telling:
    assert number is not None
    old = told.updates.get(number)
    before: JsonObject = {"title": None, "blocks": []} if old is None else old._asdict()
    title = before["title"] if said["title"] is None else said["title"]  # None: the revision kept it
    blocks = before["blocks"] if said["blocks"] is None else said["blocks"]  # None: kept
    if old is not None:
        told.updates[number] = _Update(title, blocks)
    return f"Update {number} revised", before, {"title": title, "blocks": blocks}


class _Correction(NamedTuple):
    """A correction's stored fields, for the domain's own rule (`Story.QuoteCorrected.corrected`)."""

    text: str | None
    attribution: str | None


def _quote_corrected(told: _Told, number: int | None, said: JsonObject) -> _Telling:
    assert number is not None
    label = f"Quote corrected in update {number}"
    index, text, attribution = said["quote"], said["text"], said["attribution"]
    old = told.updates.get(number)
    quotes = [] if old is None else [i for i, b in enumerate(old.blocks) if b["kind"] == "quote"]
    if old is None or not 1 <= index <= len(quotes):
        return label, None, {"quote": index, "text": text, "attribution": attribution or None}
    position = quotes[index - 1]
    quote = Quote(old.blocks[position]["text"], old.blocks[position]["attribution"])
    new = Story.QuoteCorrected.corrected(_Correction(text, attribution), quote)  # type: ignore[arg-type]
    blocks = list(old.blocks)
    blocks[position] = block_to_dict(new)
    told.updates[number] = _Update(old.title, blocks)
    return (
        label,
        {"quote": index, "text": quote.text, "attribution": quote.attribution},
        {"quote": index, "text": new.text, "attribution": new.attribution},
    )


def _labelled(words: str) -> Callable[[_Told, int | None, JsonObject], _Telling]:
    def tell(_told: _Told, number: int | None, _said: JsonObject) -> _Telling:
        return words.format(number=number), None, None

    return tell


_TELLERS: dict[str, Callable[[_Told, int | None, JsonObject], _Telling]] = {
    "Opened": _opened,
    "HeadlineChanged": _headline_changed,
    "StandfirstChanged": _standfirst_changed,
    "Published": _status("Story published", LIVE),
    "Closed": _status("Story closed", CLOSED),
    "Reopened": _status("Story reopened", LIVE),
    "UpdatePosted": _update_posted,
    "UpdateRevised": _update_revised,
    "QuoteCorrected": _quote_corrected,
    "UpdateRetracted": _labelled("Update {number} retracted"),
    "UpdatePinned": _labelled("Update {number} pinned"),
    "UpdateUnpinned": _labelled("Update {number} unpinned"),
    "KeyEventMarked": _labelled("Update {number} marked as a key event"),
    "KeyEventUnmarked": _labelled("Update {number} no longer a key event"),
}


def _refuse_empty(connection: Connection, slug: str, story_id: Any, update: int | None) -> None:
    exists = connection.execute(
        select(history_events.c.version).where(history_events.c.story_id == story_id).limit(1)
    ).first()
    if exists is None:
        raise StoryNotFound(slug)
    last = connection.execute(
        select(func.max(history_events.c.update_number)).where(
            history_events.c.story_id == story_id, history_events.c.event_type == "UpdatePosted"
        )
    ).scalar()
    assert update is not None
    raise UpdateNotFound(slug, update, last or 0)
