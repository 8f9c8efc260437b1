"""The revision-history projection: one row per story event, an index of the stored events.

Table `history_events`: the story, its version after the event, the event type and the update it
concerns. The event itself stays where it is stored (a row copies none of it, so a batch reads
nothing and formats nothing, and a takedown or erasure has no copy here to rewrite): the history
is told when it is read, by reading the story's events of those versions from the store and
folding them with their meanings (`history_reading.py`). The rows say which versions an update's
history holds, which stories scheduled anything, and how far the history has been built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from infrastructure.projections.projection import Notified, ReadModelProjection, insert_many
from infrastructure.projections.versions import HISTORY, PROJECTION_VERSIONS

metadata = MetaData()

history_events = Table(
    "history_events",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("event_type", String(64), nullable=False),
    Column("update_number", Integer),
    sqlite_with_rowid=False,  # the key is the row: no second b-tree of it on SQLite
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
        type(event).__name__,
        getattr(event, "number", None),
    )
