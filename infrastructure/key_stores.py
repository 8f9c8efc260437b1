"""The key stores the newsroom ships: a SQLite file of its own beside a SQLite store, and a schema of
its own beside a PostgreSQL store (`open_key_store`), both in `NEWSROOM_KEYS` if it is set."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from infrastructure.keys import KEY_BYTES, KeyCounts, KeyDestroyed, KeyStore
from infrastructure.postgres_names import schema_name_problem
from infrastructure.store import KEYS_SCHEMA_SUFFIX, StoreConfig, StoreUnavailable

KEYS_VAR = "NEWSROOM_KEYS"
_SCHEMA_LOCK_KEY = 0x6B657973  # "keys": held while a key store's tables are made


def open_key_store(config: StoreConfig) -> KeyStore:
    """The key store beside the store `config` names."""
    if config.backend == "sqlite":
        assert config.sqlite_path is not None
        return SQLiteKeyStore(key_store_path(config.sqlite_path), read_only=config.read_only)
    env = config.env
    conninfo = {
        "dbname": env["POSTGRES_DBNAME"],
        "host": env["POSTGRES_HOST"],
        "port": env["POSTGRES_PORT"],
        "user": env["POSTGRES_USER"],
        "password": env["POSTGRES_PASSWORD"],
        "connect_timeout": env["POSTGRES_CONNECT_TIMEOUT"],
    }
    return PostgresKeyStore(conninfo, keys_schema(config.postgres_schema))


def check_key_store_setting(config: StoreConfig) -> None:
    """Refuses a `NEWSROOM_KEYS` the store `config` names cannot use, before anything connects."""
    if config.backend == "postgresql":
        keys_schema(config.postgres_schema)


def key_store_path(sqlite_path: Path) -> Path:
    """Where a SQLite store's keys are kept: `NEWSROOM_KEYS`, or `<store file>.keys` beside it."""
    configured = os.environ.get(KEYS_VAR)
    return Path(configured) if configured else sqlite_path.with_name(sqlite_path.name + ".keys")


def keys_schema(store_schema: str) -> str:
    """The PostgreSQL schema a store's keys are kept in: `NEWSROOM_KEYS`, or `<schema>_keys`
    (which `parse_url` made sure fits). Refuses a `NEWSROOM_KEYS` that is no usable schema name,
    or that is the store's own schema (the keys would sit beside the events they unlock)."""
    configured = os.environ.get(KEYS_VAR)
    if not configured:
        return store_schema + KEYS_SCHEMA_SUFFIX
    problem = schema_name_problem(configured)
    if problem is None and configured == store_schema:
        problem = "is the store's own schema: keys are kept apart from the events"
    if problem is not None:
        raise StoreUnavailable(f"{KEYS_VAR} schema {configured!r} {problem}: set another or unset it")
    return configured


_CREATE = (
    "CREATE TABLE IF NOT EXISTS {keys} (key_id TEXT PRIMARY KEY, key BLOB NOT NULL, made_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {tombstones} "
    "(key_id TEXT PRIMARY KEY, destroyed_at TEXT NOT NULL, reference TEXT NOT NULL)",
)


class SQLiteKeyStore:
    """Keys in a SQLite file of their own. A destroyed key is overwritten where it lay
    (`secure_delete`), and the write-ahead log that held it is emptied."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        # A follower decodes events on its own thread: one connection, used one call at a time.
        if read_only and not path.exists():
            self.db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        elif read_only:
            uri = f"file:{quote(str(path))}?mode=ro"  # a ? or # in the path is the path's
            self.db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            self.db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
            # One fsync per new key (the write-ahead log), and a destroyed key zeroed where it lay;
            # `destroy` empties the log, which held the key since it was made.
            _write_ahead(self.db)
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA secure_delete=ON")
            for statement in _CREATE:
                self.db.execute(statement.format(keys="keys", tombstones="tombstones"))

    def key(self, key_id: str) -> bytes | None:
        try:
            row = self.db.execute("SELECT key FROM keys WHERE key_id = ?", (key_id,)).fetchone()
        except sqlite3.OperationalError:  # a read-only store whose key file was never made
            return None
        return None if row is None else bytes(row[0])

    def keys_of(self, key_ids: Sequence[str]) -> dict[str, bytes]:
        if not key_ids:
            return {}
        try:
            # One parameter however many ids: a statement's text never grows with its input.
            rows = self.db.execute(
                "SELECT key_id, key FROM keys WHERE key_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(key_ids)),),
            )
            return {key_id: bytes(key) for key_id, key in rows}
        except sqlite3.OperationalError:  # a read-only store whose key file was never made
            return {}

    def key_for_sealing(self, key_id: str, ahead: Sequence[str] = ()) -> bytes:
        key = self.key(key_id)
        if key is not None:
            return key
        if self.is_destroyed(key_id):
            raise KeyDestroyed(key_id)
        made = _now()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # read-only, locked, or the disk full
            raise StoreUnavailable(f"the key store {self.path} cannot be written: {error}") from None
        try:
            self.db.executemany(
                "INSERT OR IGNORE INTO keys (key_id, key, made_at) SELECT ?, ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE key_id = ?)",
                [(i, secrets.token_bytes(KEY_BYTES), made, i) for i in (key_id, *ahead)],
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        key = self.key(key_id)
        assert key is not None
        return key

    def destroy(self, key_id: str, *, reference: str, at: datetime) -> bool:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            deleted = self.db.execute("DELETE FROM keys WHERE key_id = ?", (key_id,)).rowcount
            self.db.execute(
                "INSERT OR IGNORE INTO tombstones (key_id, destroyed_at, reference) VALUES (?, ?, ?)",
                (key_id, at.isoformat(), reference),
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return bool(deleted)

    def is_destroyed(self, key_id: str) -> bool:
        try:
            row = self.db.execute("SELECT 1 FROM tombstones WHERE key_id = ?", (key_id,)).fetchone()
        except sqlite3.OperationalError:
            return False
        return row is not None

    def tombstones(self) -> dict[str, str]:
        try:
            return dict(self.db.execute("SELECT key_id, reference FROM tombstones").fetchall())
        except sqlite3.OperationalError:
            return {}

    def counts(self) -> KeyCounts:
        try:
            live = self.db.execute("SELECT count(*) FROM keys").fetchone()[0]
            destroyed = self.db.execute("SELECT count(*) FROM tombstones").fetchone()[0]
        except sqlite3.OperationalError:
            return KeyCounts(0, 0)
        return KeyCounts(live, destroyed)

    def live_ids(self) -> set[str]:
        try:
            return {row[0] for row in self.db.execute("SELECT key_id FROM keys")}
        except sqlite3.OperationalError:
            return set()

    def close(self) -> None:
        self.db.close()


class PostgresKeyStore:
    """Keys in a schema of their own (`<store schema>_keys`) of the store's PostgreSQL database. A
    destroyed key's table is rewritten (`VACUUM FULL`), so its bytes leave the table's files."""

    def __init__(self, conninfo: dict[str, Any], schema: str) -> None:
        import psycopg
        from psycopg.sql import SQL, Identifier

        self.schema = schema
        self.db = psycopg.connect(**conninfo, autocommit=True)
        self._sql = {name: _in_schema(statement, schema) for name, statement in _POSTGRES_STATEMENTS.items()}
        if self.db.execute(self._sql["made"], (schema,)).fetchone() is None:
            # Made once, by one process at a time (others wait, then find it made).
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK_KEY,))
                self.db.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
                for statement in _CREATE:
                    self.db.execute(_in_schema(statement.replace("BLOB", "BYTEA"), schema))

    def key(self, key_id: str) -> bytes | None:
        row = self.db.execute(self._sql["key"], (key_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def keys_of(self, key_ids: Sequence[str]) -> dict[str, bytes]:
        if not key_ids:
            return {}
        return {key_id: bytes(key) for key_id, key in self.db.execute(self._sql["keys_of"], (list(key_ids),))}

    def key_for_sealing(self, key_id: str, ahead: Sequence[str] = ()) -> bytes:
        key = self.key(key_id)
        if key is not None:
            return key
        if self.is_destroyed(key_id):
            raise KeyDestroyed(key_id)
        made = _now()
        with self.db.transaction(), self.db.cursor() as cursor:
            cursor.executemany(
                self._sql["make"], [(i, secrets.token_bytes(KEY_BYTES), made, i) for i in (key_id, *ahead)]
            )
        key = self.key(key_id)
        assert key is not None
        return key

    def destroy(self, key_id: str, *, reference: str, at: datetime) -> bool:
        with self.db.transaction():
            deleted = self.db.execute(self._sql["delete"], (key_id,)).rowcount
            self.db.execute(self._sql["bury"], (key_id, at.isoformat(), reference))
        self.db.execute(self._sql["vacuum"])
        return bool(deleted)

    def is_destroyed(self, key_id: str) -> bool:
        return self.db.execute(self._sql["destroyed"], (key_id,)).fetchone() is not None

    def tombstones(self) -> dict[str, str]:
        return dict(self.db.execute(self._sql["tombstones"]).fetchall())

    def counts(self) -> KeyCounts:
        live = self.db.execute(self._sql["count_keys"]).fetchone()
        destroyed = self.db.execute(self._sql["count_tombstones"]).fetchone()
        return KeyCounts(live[0] if live else 0, destroyed[0] if destroyed else 0)

    def live_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute(self._sql["live_ids"])}

    def close(self) -> None:
        self.db.close()


def _in_schema(statement: str, schema: str) -> Any:
    """`statement` with `{keys}` and `{tombstones}` named in `schema` by the driver's quoting:
    a schema name is never text of the statement's own."""
    from psycopg.sql import SQL, Identifier

    return SQL(statement).format(keys=Identifier(schema, "keys"), tombstones=Identifier(schema, "tombstones"))


_POSTGRES_STATEMENTS = {
    "made": "SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = 'tombstones'",
    "key": "SELECT key FROM {keys} WHERE key_id = %s",
    "keys_of": "SELECT key_id, key FROM {keys} WHERE key_id = ANY(%s)",
    "make": "INSERT INTO {keys} (key_id, key, made_at) SELECT %s, %s, %s "
    "WHERE NOT EXISTS (SELECT 1 FROM {tombstones} WHERE key_id = %s) ON CONFLICT (key_id) DO NOTHING",
    "delete": "DELETE FROM {keys} WHERE key_id = %s",
    "bury": "INSERT INTO {tombstones} (key_id, destroyed_at, reference) VALUES (%s, %s, %s) "
    "ON CONFLICT (key_id) DO NOTHING",
    "vacuum": "VACUUM FULL {keys}",
    "destroyed": "SELECT 1 FROM {tombstones} WHERE key_id = %s",
    "count_keys": "SELECT count(*) FROM {keys}",
    "count_tombstones": "SELECT count(*) FROM {tombstones}",
    "live_ids": "SELECT key_id FROM {keys}",
    "tombstones": "SELECT key_id, reference FROM {tombstones}",
}
"""The key store's statements; `{keys}` and `{tombstones}` are filled in by the driver's quoting."""


def _now() -> str:
    return datetime.now(UTC).isoformat()


WAL_WAIT_SECONDS = 10.0


def _write_ahead(db: sqlite3.Connection) -> None:
    """Puts the key file in WAL mode (it stays so). A new file's openers race to switch it, and a
    switch that finds another connection in the file fails at once ("database is locked") rather
    than waiting as a write does: so it is tried again, for as long as a write would wait."""
    deadline = time.monotonic() + WAL_WAIT_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
