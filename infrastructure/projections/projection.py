"""What every read-model projection shares: batches of story events applied in one transaction."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, NamedTuple

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic
from sqlalchemy import MetaData, Table, bindparam, delete, select, tuple_, update
from sqlalchemy.engine import Connection

from domain.story import Story
from infrastructure.projections.tracking import ReadModelRecorder

STORY_TOPICS = frozenset(get_topic(cls) for cls in Story.EVENT_CLASSES)
"""The only events the read models consume; any other aggregate's events are passed over."""

_SELECT_CHUNK = 400


class Notified(NamedTuple):
    """A story event with its position in the store's notification log."""

    position: int
    event: Story.Event


class ReadModelProjection(Projection[ReadModelRecorder]):
    """A projection into SQL tables: each batch of events and its tracking commit together.

    Subclasses name their tables (`metadata`) and their `version`: when the version stored with
    the tables differs, they are dropped and rebuilt from the first event.
    """

    version: ClassVar[int]
    metadata: ClassVar[MetaData]
    topics = tuple(sorted(STORY_TOPICS))

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Applies one event (the library's interface): a batch of one."""
        self.process_batch([Notified(tracking.notification_id, domain_event)], tracking, after=None)

    def process_batch(
        self,
        events: Sequence[Notified],
        tracking: Tracking,
        *,
        after: int | None,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        """Applies `events` and moves the tracking position from `after` to `tracking`, atomically.

        Raises `TrackingMoved`, having changed nothing, if the position is no longer `after`.
        """
        with self.view.recording(tracking, after=after) as connection:
            if events:
                self.apply(connection, events)
            if before_commit is not None:
                before_commit()

    @abstractmethod
    def apply(self, connection: Connection, events: Sequence[Notified]) -> None:
        """Changes the tables for `events`, in order, within the caller's transaction."""


Key = tuple[Any, ...]


class Rows:
    """The rows of one table that a batch reads and changes, written back once when it ends.

    Executing a statement per event would cap a rebuild at a few thousand events a second;
    a batch instead loads the rows it needs in a few queries and writes them with executemany.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self.key_columns = [column.name for column in table.primary_key.columns]
        self.rows: dict[Key, dict[str, Any] | None] = {}
        self.stored: set[Key] = set()
        self.touched: set[Key] = set()

    def load(self, connection: Connection, keys: Iterable[Key]) -> None:
        """Reads the rows with these keys (those not read yet) from the database."""
        missing = list(dict.fromkeys(k for k in keys if k not in self.rows))
        columns = [self.table.c[name] for name in self.key_columns]
        for start in range(0, len(missing), _SELECT_CHUNK):
            chunk = missing[start : start + _SELECT_CHUNK]
            if len(columns) == 1:
                condition = columns[0].in_([k[0] for k in chunk])
            else:
                condition = tuple_(*columns).in_(chunk)
            for row in connection.execute(select(self.table).where(condition)).mappings():
                key = tuple(row[name] for name in self.key_columns)
                self.rows[key] = dict(row)
                self.stored.add(key)
        for key in missing:
            self.rows.setdefault(key, None)

    def get(self, key: Key) -> dict[str, Any] | None:
        """The row as the batch has left it so far, or None if there is none (or it was not loaded)."""
        return self.rows.get(key)

    def put(self, key: Key, row: dict[str, Any]) -> None:
        """Adds or replaces the whole row."""
        self.rows[key] = row
        self.touched.add(key)

    def change(self, key: Key, **values: Any) -> bool:
        """Changes some columns of an existing row; False if there is no such row."""
        row = self.rows.get(key)
        if row is None:
            return False
        row.update(values)
        self.touched.add(key)
        return True

    def delete(self, key: Key) -> None:
        if self.rows.get(key) is not None:
            self.rows[key] = None
            self.touched.add(key)

    def flush(self, connection: Connection) -> None:
        """Writes every touched row: inserted, updated or deleted, as the batch left it."""
        inserts, updates, deletes = [], [], []
        for key in self.touched:
            row = self.rows[key]
            if row is None:
                if key in self.stored:
                    deletes.append(self._key_params(key))
            elif key in self.stored:
                values = {k: v for k, v in row.items() if k not in self.key_columns}
                updates.append({**values, **self._key_params(key)})
            else:
                inserts.append(row)
        where = [self.table.c[name] == bindparam(f"key_{name}") for name in self.key_columns]
        if deletes:
            connection.execute(delete(self.table).where(*where), deletes)
        if updates:
            # The SET clause comes from the parameters' column names; the keys bind the WHERE.
            connection.execute(update(self.table).where(*where), updates)
        if inserts:
            connection.execute(self.table.insert(), inserts)
        self.stored = {k for k in self.stored | self.touched if self.rows[k] is not None}
        self.touched.clear()

    def _key_params(self, key: Key) -> dict[str, Any]:
        return {f"key_{name}": value for name, value in zip(self.key_columns, key, strict=True)}
