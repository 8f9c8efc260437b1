"""The revision-history projection: one row per story event, holding the event as stored.

Table `history_events`: the story, its version after the event, the time, the editor, the event
type, the update it concerns, its reason (`Meaning.reason`), and the event's topic and stored
state. A row is the event itself, so a batch reads nothing and formats nothing. What the event
changed from and to, and its label, are told when the history is read, by folding the story's
events with their meanings (`history_reading.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, Text, Uuid
from sqlalchemy.engine import Connection

from domain.meanings import meaning_of
from infrastructure.projections.database import Moment
from infrastructure.projections.projection import Notified, ReadModelProjection, insert_many
from infrastructure.projections.versions import HISTORY, PROJECTION_VERSIONS

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
    Column("topic", Text, nullable=False),
    Column("state", LargeBinary, nullable=False),
)


class HistoryProjection(ReadModelProjection):
    """Appends a `history_events` row for every story event."""

    name = HISTORY
    version = PROJECTION_VERSIONS[HISTORY]
    metadata = metadata
    retired_tables = ("history_stories", "history_updates")  # version 1 kept the state labels needed

    def apply(self, connection: Connection, events: Sequence[Notified]) -> None:
        insert_many(connection, history_events, [_history_row(n) for n in events])


def _history_row(notified: Notified) -> tuple[Any, ...]:
    event: Any = notified.event
    return (
        event.originator_id,
        event.originator_version,
        event.timestamp,
        event.editor,
        type(event).__name__,
        getattr(event, "number", None),
        meaning_of(event).reason(event),
        notified.topic,
        notified.state,
    )
