"""The key stores the newsroom ships: a SQLite file of its own beside a SQLite store, and a schema of
its own beside a PostgreSQL store (`open_key_store`), both in `NEWSROOM_KEYS` if it is set."""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infrastructure.keys import KEY_BYTES, KeyCounts, KeyDestroyed, KeyStore
from infrastructure.store import StoreConfig, StoreUnavailable

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


def key_store_path(sqlite_path: Path) -> Path:
    """Where a SQLite store's keys are kept: `NEWSROOM_KEYS`, or `<store file>.keys` beside it."""
    configured = os.environ.get(KEYS_VAR)
    return Path(configured) if configured else sqlite_path.with_name(sqlite_path.name + ".keys")


def keys_schema(store_schema: str) -> str:
    """The PostgreSQL schema a store's keys are kept in: `NEWSROOM_KEYS`, or `<schema>_keys`."""
    return os.environ.get(KEYS_VAR) or f"{store_schema}_keys"


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
            uri = f"file:{path}?mode=ro"
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
        marks = ", ".join("?" * len(key_ids))
        try:
            rows = self.db.execute(f"SELECT key_id, key FROM keys WHERE key_id IN ({marks})", list(key_ids))
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

        self.schema = schema
        self.db = psycopg.connect(**conninfo, autocommit=True)
        exists = f"SELECT to_regclass('\"{schema}\".tombstones')"
        if self.db.execute(exists).fetchone() == (None,):
            # Made once, by one process at a time (others wait, then find it made).
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK_KEY,))
                self.db.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
                for statement in _CREATE:
                    ddl = statement.replace("BLOB", "BYTEA").format(
                        keys=f'"{schema}".keys', tombstones=f'"{schema}".tombstones'
                    )
                    self.db.execute(ddl)

    def key(self, key_id: str) -> bytes | None:
        row = self.db.execute(f'SELECT key FROM "{self.schema}".keys WHERE key_id = %s', (key_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def keys_of(self, key_ids: Sequence[str]) -> dict[str, bytes]:
        if not key_ids:
            return {}
        query = f'SELECT key_id, key FROM "{self.schema}".keys WHERE key_id = ANY(%s)'
        return {key_id: bytes(key) for key_id, key in self.db.execute(query, (list(key_ids),))}

    def key_for_sealing(self, key_id: str, ahead: Sequence[str] = ()) -> bytes:
        key = self.key(key_id)
        if key is not None:
            return key
        if self.is_destroyed(key_id):
            raise KeyDestroyed(key_id)
        made = _now()
        with self.db.transaction(), self.db.cursor() as cursor:
            cursor.executemany(
                f'INSERT INTO "{self.schema}".keys (key_id, key, made_at) SELECT %s, %s, %s '
                f'WHERE NOT EXISTS (SELECT 1 FROM "{self.schema}".tombstones WHERE key_id = %s) '
                "ON CONFLICT (key_id) DO NOTHING",
                [(i, secrets.token_bytes(KEY_BYTES), made, i) for i in (key_id, *ahead)],
            )
        key = self.key(key_id)
        assert key is not None
        return key

    def destroy(self, key_id: str, *, reference: str, at: datetime) -> bool:
        with self.db.transaction():
            query = f'DELETE FROM "{self.schema}".keys WHERE key_id = %s'
            deleted = self.db.execute(query, (key_id,)).rowcount
            self.db.execute(
                f'INSERT INTO "{self.schema}".tombstones (key_id, destroyed_at, reference) '
                "VALUES (%s, %s, %s) ON CONFLICT (key_id) DO NOTHING",
                (key_id, at.isoformat(), reference),
            )
        self.db.execute(f'VACUUM FULL "{self.schema}".keys')
        return bool(deleted)

    def is_destroyed(self, key_id: str) -> bool:
        query = f'SELECT 1 FROM "{self.schema}".tombstones WHERE key_id = %s'
        return self.db.execute(query, (key_id,)).fetchone() is not None

    def tombstones(self) -> dict[str, str]:
        from psycopg import sql

        query = sql.SQL("SELECT key_id, reference FROM {}.tombstones").format(sql.Identifier(self.schema))
        return dict(self.db.execute(query).fetchall())

    def counts(self) -> KeyCounts:
        live = self.db.execute(f'SELECT count(*) FROM "{self.schema}".keys').fetchone()
        destroyed = self.db.execute(f'SELECT count(*) FROM "{self.schema}".tombstones').fetchone()
        return KeyCounts(live[0] if live else 0, destroyed[0] if destroyed else 0)

    def live_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute(f'SELECT key_id FROM "{self.schema}".keys')}

    def close(self) -> None:
        self.db.close()


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
