"""Reading the revision history: each event of a story (or of one update), told by its meaning.

The rows hold the events as stored; they are decoded as the application decodes them (upcast to
their current class version) and folded in version order (`domain.page_fold.PageFold.tell`), so
each entry says what the event changed from and to. An update's rows tell all there is of that
update, so its history reads only those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from domain import rules
from domain.errors import StoryNotFound, UpdateNotFound
from domain.meanings import Values, meaning_of
from domain.page_fold import PageFold
from domain.story import Story
from infrastructure.projections.database import snapshot
from infrastructure.projections.history import history_events

Decode = Callable[[StoredEvent], Any]
"""Turns a stored event into the domain event (the application's `mapper.to_domain_event`)."""


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
    before: Values | None
    after: Values | None


def read_history(
    source: Connection | Engine, decode: Decode, slug: str, update: int | None = None
) -> list[HistoryEntry]:
    """The story's events, oldest first, as the history tells them; with `update`, that update's."""
    story_id = Story.id_for(rules.valid_slug(slug))
    query = select(
        history_events.c.version,
        history_events.c.editor,
        history_events.c.update_number,
        history_events.c.topic,
        history_events.c.state,
    ).where(history_events.c.story_id == story_id)
    if update is not None:
        query = query.where(history_events.c.update_number == update)
    with snapshot(source) as connection:
        rows = connection.execute(query.order_by(history_events.c.version)).all()
        if not rows:
            _refuse_empty(connection, slug, story_id, update)
    fold = PageFold()
    entries = []
    for version, editor, number, topic, state in rows:
        event = decode(StoredEvent(story_id, version, topic, bytes(state)))
        told = fold.tell(event)
        entries.append(
            HistoryEntry(
                version=version,
                at=event.timestamp,
                editor=editor,
                event_type=type(event).__name__,
                update=number,
                label=told.label,
                reason=meaning_of(event).reason(event),
                before=told.before,
                after=told.after,
            )
        )
    return entries


def _refuse_empty(connection: Connection, slug: str, story_id: Any, update: int | None) -> None:
    exists = connection.execute(
        select(history_events.c.version).where(history_events.c.story_id == story_id).limit(1)
    ).first()
    if exists is None:
        raise StoryNotFound(slug)
    last = connection.execute(
        select(func.max(history_events.c.update_number)).where(
            history_events.c.story_id == story_id,
            history_events.c.event_type.in_(("UpdatePosted", "SubmissionApproved")),
        )
    ).scalar()
    assert update is not None
    raise UpdateNotFound(slug, update, last or 0)
