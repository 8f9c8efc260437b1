"""What every read-model projection shares: batches of story events applied in one transaction."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from sqlalchemy import MetaData, Table, select, tuple_
from sqlalchemy.engine import Connection, Dialect

from domain.story import STORY_TOPICS, Story
from infrastructure.projections.database import schema_of, writing
from infrastructure.projections.tracking import ReadModelRecorder

_SELECT_CHUNK = 400


class Notified:
    """A story event with its place in the store's notification log."""

    __slots__ = ("position", "event")

    def __init__(self, position: int, event: Story.Event) -> None:
        self.position = position
        self.event = event


class ReadModelProjection(Projection[ReadModelRecorder]):
    """A projection into SQL tables: each batch of events and its tracking commit together.

    Subclasses name their tables (`metadata`) and their `version`: when the version stored with
    the tables differs, they are dropped and rebuilt from the first event.
    """

    version: ClassVar[int]
    metadata: ClassVar[MetaData]
    retired_tables: ClassVar[tuple[str, ...]] = ()
    """Tables an earlier version had and this one does not: dropped, if there, when it is rebuilt."""
    topics = tuple(sorted(STORY_TOPICS))

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """The library's one-event interface, which the runner does not use: it applies batches
        of events with their stored form (`process_batch`)."""
        raise NotImplementedError("read models apply batches of notified events: use process_batch")

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
        process_batches([(self, events, after)], tracking, before_commit=before_commit)

    @abstractmethod
    def apply(self, connection: Connection, events: Sequence[Notified]) -> None:
        """Changes the tables for `events`, in order, within the caller's transaction."""


def process_batches(
    batches: Sequence[tuple[ReadModelProjection, Sequence[Notified], int | None]],
    tracking: Tracking,
    *,
    before_commit: Callable[[], None] | None = None,
) -> None:
    """Applies each projection its events and moves its tracking position from its `after` to
    `tracking`: all in one transaction, the projections' tables being in one database.

    One commit a batch rather than one per projection (a commit is a sync to disk). Raises
    `TrackingMoved`, having changed nothing, if any position is no longer its `after`.
    """
    with writing(batches[0][0].view.engine) as connection:
        for projection, events, after in batches:
            projection.view.advance(connection, tracking, after)
            if events:
                projection.apply(connection, events)
        if before_commit is not None:
            before_commit()


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
        names = [c.name for c in self.table.columns]
        values = [name for name in names if name not in self.key_columns]
        for key in self.touched:
            row = self.rows[key]
            if row is None:
                if key in self.stored:
                    deletes.append(key)
            elif key in self.stored:
                updates.append((*(row[name] for name in values), *key))
            else:
                inserts.append(row)
        if deletes:
            _statement(connection, self.table, "delete").run(connection, deletes)
        if updates:
            _statement(connection, self.table, "update").run(connection, updates)
        if inserts:
            insert_many(connection, self.table, inserts)
        self.stored = {k for k in self.stored | self.touched if self.rows[k] is not None}
        self.touched.clear()


# Writing many rows through the driver.
#
# SQLAlchemy's executemany converts every value of every row through its type machinery, about as
# much work again as building the rows. These statements are written once per table, dialect and
# schema, convert only the values whose column type needs it (with that type's own converter), and
# go straight to the driver's cursor, in the caller's transaction: on PostgreSQL inserts go by
# COPY, the rest by psycopg's pipelined executemany; on SQLite by sqlite3's executemany.


def insert_many(
    connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]]
) -> None:
    """Inserts `rows` (dicts by column name, or tuples in the table's column order) into `table`.

    The same rows as `connection.execute(table.insert(), rows)`, at a fraction of the cost; every
    column must be given. `connection` must be in a transaction already begun (`writing`, or a
    projection's `apply`): the rows go to the driver's own cursor, in that transaction.
    """
    if rows:
        _statement(connection, table, "insert").run(connection, rows)


@dataclass(frozen=True)
class _DriverStatement:
    """One statement as the driver takes it, and how each row's values become the driver's."""

    sql: str
    columns: tuple[str, ...]
    """The parameters in order, by column name (what a dict row is read by)."""
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]
    copy: bool

    def run(self, connection: Connection, rows: Sequence[Any]) -> None:
        if isinstance(rows[0], Mapping):
            pick = itemgetter(*self.columns)
            rows = [pick(row) for row in rows] if len(self.columns) > 1 else [(pick(r),) for r in rows]
        if self.converters:
            # Column by column: the loops stay in C, and only the converters run in Python.
            columns: list[Iterable[Any]] = list(zip(*rows, strict=True))
            for index, convert in self.converters:
                columns[index] = map(convert, columns[index])
            rows = list(zip(*columns, strict=True))
        cursor = connection.connection.cursor()
        try:
            if self.copy:
                with cursor.copy(self.sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)
        finally:
            cursor.close()


_STATEMENTS: dict[tuple[Table, str, str, str | None], _DriverStatement] = {}


def _statement(connection: Connection, table: Table, kind: str) -> _DriverStatement:
    dialect = connection.dialect
    schema = schema_of(connection)
    key = (table, kind, dialect.name, schema)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = _written(table, kind, dialect, schema)
    return statement


def _written(table: Table, kind: str, dialect: Dialect, schema: str | None) -> _DriverStatement:
    quote = dialect.identifier_preparer.quote
    name = quote(table.name) if schema is None else f"{quote(schema)}.{quote(table.name)}"
    keys = [c for c in table.primary_key.columns]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    copy = False
    if kind == "insert":
        columns = list(table.columns)
        listed = ", ".join(quote(c.name) for c in columns)
        copy = dialect.name == "postgresql"
        if copy:
            sql = f"COPY {name} ({listed}) FROM STDIN"
        else:
            sql = f"INSERT INTO {name} ({listed}) VALUES ({', '.join(mark for _ in columns)})"
    else:
        where = " AND ".join(f"{quote(c.name)} = {mark}" for c in keys)
        if kind == "update":
            columns = [c for c in table.columns if not c.primary_key]
            assignments = ", ".join(f"{quote(c.name)} = {mark}" for c in columns)
            sql = f"UPDATE {name} SET {assignments} WHERE {where}"
            columns += keys
        else:
            columns = keys
            sql = f"DELETE FROM {name} WHERE {where}"
    converters = tuple(
        (index, convert)
        for index, column in enumerate(columns)
        if (convert := column.type._cached_bind_processor(dialect)) is not None
    )
    return _DriverStatement(sql, tuple(c.name for c in columns), converters, copy)
