"""Store configuration: one database URL chooses and checks the event store (SQLite or PostgreSQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

DEFAULT_URL = "sqlite:///newsroom.db"
SQLITE_BUSY_TIMEOUT_SECONDS = 10
POSTGRES_LOCK_TIMEOUT_SECONDS = 10
SCHEMA_LOCK_KEY = 0x6E657773  # "news": the advisory lock taken while tables are created
EVENTS_TABLES = {"sqlite": "stored_events", "postgresql": "newsroom_events"}


class StoreUnavailable(Exception):
    """The database URL is wrong, or the database cannot be reached or is not a newsroom store."""


@dataclass(frozen=True)
class StoreConfig:
    """A parsed database URL: which backend, and the library's settings for it."""

    url: str
    backend: str  # "sqlite" or "postgresql"
    env: dict[str, str]
    sqlite_path: Path | None = None
    postgres_schema: str = "public"
    read_only: bool = False

    @property
    def events_table(self) -> str:
        return EVENTS_TABLES[self.backend]


def parse_url(url: str) -> StoreConfig:
    """The store settings for `url`: sqlite:///relative.db, sqlite:////abs.db or postgresql://..."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme == "sqlite":
        return _sqlite_config(url, parts.path, parse_qs(parts.query))
    if scheme in ("postgresql", "postgres"):
        return _postgres_config(url)
    raise StoreUnavailable(
        f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
    )


def _sqlite_config(url: str, path_part: str, query: dict[str, list[str]]) -> StoreConfig:
    path_text = unquote(path_part[1:] if path_part.startswith("/") else path_part)
    if not path_text or path_text == ":memory:":
        raise StoreUnavailable(
            f"database URL {url!r} names no file: use sqlite:///newsroom.db (an in-memory "
            "store would lose everything when the command ends)"
        )
    path = Path(path_text)
    read_only = query.get("mode", [""])[0] == "ro"
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        # A read-only store is opened through SQLite's URI form, which refuses every write.
        "SQLITE_DBNAME": f"file:{quote(str(path))}?mode=ro" if read_only else str(path),
        "SQLITE_LOCK_TIMEOUT": str(_timeout(url, query, SQLITE_BUSY_TIMEOUT_SECONDS)),
    }
    if read_only:
        env["CREATE_TABLE"] = "n"
    return StoreConfig(url=url, backend="sqlite", env=env, sqlite_path=path, read_only=read_only)


def _timeout(url: str, query: dict[str, list[str]], default: int) -> int:
    """The `?timeout=SECONDS` a writer waits for a lock before giving up."""
    text = query.get("timeout", [str(default)])[0]
    if not text.isdigit() or int(text) < 1:
        raise StoreUnavailable(f"invalid timeout {text!r} in {url!r}: give whole seconds, e.g. ?timeout=10")
    return int(text)


def _postgres_config(url: str) -> StoreConfig:
    parts = urlsplit(url)
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise StoreUnavailable(f"database URL {url!r} names no database: add /DBNAME at the end")
    query = parse_qs(parts.query)
    schema = query.get("schema", ["public"])[0]
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname or "localhost",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_LOCK_TIMEOUT": str(_timeout(url, query, POSTGRES_LOCK_TIMEOUT_SECONDS)),
        "POSTGRES_POOL_SIZE": "2",
        "POSTGRES_MAX_OVERFLOW": "2",
        "POSTGRES_PRE_PING": "y",
    }
    return StoreConfig(url=url, backend="postgresql", env=env, postgres_schema=schema)


@contextmanager
def schema_lock(config: StoreConfig) -> Iterator[None]:
    """Serialises creating tables: PostgreSQL fails concurrent CREATE ... IF NOT EXISTS
    ("tuple concurrently updated") when several processes start on a new store at once."""
    if config.backend != "postgresql":
        yield
        return
    import psycopg

    with psycopg.connect(**_libpq_params(config), autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def check_store(config: StoreConfig) -> None:
    """Refuses, with a message saying what to do, a store the newsroom cannot or must not use."""
    if config.backend == "sqlite":
        _check_sqlite(config)
    else:
        _check_postgres(config)


def _check_sqlite(config: StoreConfig) -> None:
    path = config.sqlite_path
    assert path is not None
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StoreUnavailable(
            f"folder {str(folder)!r} for the database {str(path)!r} does not exist: "
            "create it first or choose another --db"
        )
    if path.is_dir():
        raise StoreUnavailable(f"{str(path)!r} is a folder, not a database file: choose a file path")
    if config.read_only and not path.exists():
        raise StoreUnavailable(f"read-only database {str(path)!r} does not exist: check the --db path")
    if not path.exists() or path.stat().st_size == 0:
        return
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        raise StoreUnavailable(f"{str(path)!r} is not an SQLite database: choose another --db") from None
    finally:
        connection.close()
    if tables and config.events_table not in tables:
        raise StoreUnavailable(
            f"{str(path)!r} is an SQLite database but not a newsroom store: choose another --db"
        )


def _check_postgres(config: StoreConfig) -> None:
    import psycopg

    try:
        connection = psycopg.connect(**_libpq_params(config))
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        raise StoreUnavailable(
            f"cannot reach the PostgreSQL database at {_safe_url(config.url)}: {reason}; "
            "check the --db URL and that the server is running"
        ) from None
    with connection:
        row = connection.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
            (config.postgres_schema,),
        ).fetchone()
    if row is None:
        raise StoreUnavailable(
            f"schema {config.postgres_schema!r} does not exist in {_safe_url(config.url)}: "
            "create it first or choose another --db"
        )


def _libpq_params(config: StoreConfig) -> dict[str, Any]:
    env = config.env
    return {
        "dbname": env["POSTGRES_DBNAME"],
        "host": env["POSTGRES_HOST"],
        "port": env["POSTGRES_PORT"],
        "user": env["POSTGRES_USER"],
        "password": env["POSTGRES_PASSWORD"] or None,
        "connect_timeout": int(env["POSTGRES_CONNECT_TIMEOUT"]),
    }


def _safe_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url
