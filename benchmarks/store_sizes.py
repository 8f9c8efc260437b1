"""What a store takes in bytes, measured alike for the newsroom's store and a bare library's:
SQLite, the file's size after a WAL checkpoint, by b-tree from `dbstat`; PostgreSQL,
`pg_total_relation_size` of the schema's tables, by table and its indexes. Its key store (a file
beside the SQLite file, a schema of its own on PostgreSQL) is measured apart."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from benchmarks.stores import SQLITE, Store
from infrastructure.key_stores import key_store_path, keys_schema
from infrastructure.store import parse_url
from tests.support.postgres import libpq_url


@dataclass(frozen=True)
class TableSize:
    """One table's bytes: its own pages (with TOAST on PostgreSQL), and its indexes'."""

    name: str
    data: int
    indexes: int


@dataclass(frozen=True)
class Footprint:
    """What a store takes: the total counted, by table, and its key store's bytes (not counted)."""

    total: int
    tables: tuple[TableSize, ...]
    keys: int
    how: str

    def data(self, names: frozenset[str]) -> int:
        return sum(t.data for t in self.tables if t.name in names)

    @property
    def indexes(self) -> int:
        return sum(t.indexes for t in self.tables)


def checkpoint(path: Path) -> None:
    """Moves a SQLite store's write-ahead log into its file, so the file's size is the store's."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def footprint(store: Store, sqlite_path: Path | None = None) -> Footprint:
    """The store's bytes, measured alike for the newsroom's and the bare one (`sqlite_path`: the
    bare application's own file on SQLite)."""
    config = parse_url(store.url)
    if store.backend == SQLITE:
        path = sqlite_path or Path(config.sqlite_path or "")
        keys = key_store_path(path)
        return _sqlite_footprint(path, keys)
    return _postgres_footprint(store.url, config.postgres_schema)


def _sqlite_footprint(path: Path, keys_path: Path) -> Footprint:
    checkpoint(path)
    connection = sqlite3.connect(path)
    try:
        trees = connection.execute(
            "SELECT coalesce(m.tbl_name, s.name), m.type = 'index', sum(s.pgsize) FROM dbstat s "
            "LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY s.name"
        ).fetchall()
    finally:
        connection.close()
    data: dict[str, int] = {}
    indexes: dict[str, int] = {}
    for table, is_index, size in trees:
        (indexes if is_index else data)[table] = (indexes if is_index else data).get(table, 0) + size
        data.setdefault(table, 0)
    keys = 0
    if keys_path.exists():
        checkpoint(keys_path)
        keys = keys_path.stat().st_size
    total = path.stat().st_size
    tables = tuple(TableSize(name, data[name], indexes.get(name, 0)) for name in data)
    return Footprint(total, tables, keys, f"the file's size after a WAL checkpoint, {total:,} B")


def _postgres_footprint(url: str, schema: str) -> Footprint:
    import psycopg

    sizes = (
        "SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'p')"
    )
    with psycopg.connect(libpq_url(url)) as connection:
        tables = tuple(TableSize(*row) for row in connection.execute(sizes, (schema,)).fetchall())
        keys = sum(t + i for _, t, i in connection.execute(sizes, (keys_schema(schema),)).fetchall())
    total = sum(t.data + t.indexes for t in tables)
    return Footprint(total, tables, keys, f"pg_total_relation_size of the schema's tables, {total:,} B")


def stored_events(app: Application[UUID]) -> Iterator[Any]:
    """Every stored event of `app`, in the order recorded."""
    start = 0
    while notifications := app.recorder.select_notifications(start, 1000, inclusive_of_start=False):
        yield from notifications
        start = notifications[-1].id


def state_bytes(app: Application[UUID], kind: type) -> int:
    """The bytes of the stored states of `kind`'s events (an aggregate class)."""
    prefix = get_topic(kind) + "."
    return sum(len(e.state) for e in stored_events(app) if e.topic.startswith(prefix))
