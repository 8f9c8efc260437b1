"""Store configuration: one database URL chooses and checks the event store (SQLite or PostgreSQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlsplit

from infrastructure.postgres_names import NAME_BYTES, schema_name_problem

DEFAULT_URL = "sqlite:///newsroom.db"
SQLITE_BUSY_TIMEOUT_SECONDS = 10
POSTGRES_LOCK_TIMEOUT_SECONDS = 10
SCHEMA_LOCK_KEY = 0x6E657773  # "news": the advisory lock taken while tables are created
EVENTS_TABLES = {"sqlite": "stored_events", "postgresql": "newsroom_events"}
SQLITE_TABLES = ("stored_events", "stored_snapshots")
POSTGRES_RELATIONS = ("newsroom_events", "newsroom_events_notification_id_idx", "newsroom_snapshots")
POSTGRES_TYPES = ("stored_event_uuid",)  # the library inserts events as an array of this type
SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
SQLITE_PARAMETERS = {"mode": "ro", "timeout": "SECONDS"}
POSTGRES_PARAMETERS = {"schema": "NAME", "timeout": "SECONDS"}
"""The query parameters each kind of URL can mean, and what each takes."""
MAX_TIMEOUT_SECONDS = 3600
KEYS_SCHEMA_SUFFIX = "_keys"
"""A PostgreSQL store's keys are kept in `<schema>_keys` unless NEWSROOM_KEYS names a schema."""


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
    """The store settings for `url`: sqlite:///relative.db, sqlite:////abs.db or postgresql://...

    A URL means exactly one store: a part it cannot mean (an unknown or repeated query parameter,
    a fragment, a host on a SQLite URL) is refused, rather than ignored for the default.
    """
    if not unquote(url).isprintable():
        raise StoreUnavailable(
            f"database URL {_safe_url(url)!r} holds a control character: choose another --db"
        )
    parts = urlsplit(url)
    if parts.scheme in SQLITE_SCHEMES:
        if parts.netloc:
            raise StoreUnavailable(
                f"database URL {_safe_url(url)!r} names a host ({parts.netloc!r}) but SQLite is a file: "
                "use sqlite:///relative.db or sqlite:////absolute.db"
            )
        return _sqlite_config(url, parts.path, _parameters(url, parts, SQLITE_PARAMETERS))
    if parts.scheme in POSTGRES_SCHEMES:
        return _postgres_config(url, parts, _parameters(url, parts, POSTGRES_PARAMETERS))
    raise StoreUnavailable(
        f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
    )


def _parameters(url: str, parts: SplitResult, accepted: dict[str, str]) -> dict[str, str]:
    """The URL's query parameters, each one it can mean given once; refuses anything else."""
    allowed = " and ".join(f"?{name}={value}" for name, value in accepted.items())
    if "#" in url:
        raise StoreUnavailable(
            f"database URL {_safe_url(url)!r} has a fragment (#...): it accepts only {allowed}"
        )
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise StoreUnavailable(
            f"database URL {_safe_url(url)!r} has a malformed query {parts.query!r}: "
            f"it accepts only {allowed}"
        ) from None
    query: dict[str, str] = {}
    for name, value in pairs:
        if name not in accepted:
            raise StoreUnavailable(
                f"database URL {_safe_url(url)!r} has an unknown part {name!r}: it accepts only {allowed}"
            )
        if name in query:
            raise StoreUnavailable(
                f"database URL {_safe_url(url)!r} gives {name!r} more than once: give it once"
            )
        query[name] = value
    return query


def _sqlite_config(url: str, path_part: str, query: dict[str, str]) -> StoreConfig:
    path_text = unquote(path_part[1:] if path_part.startswith("/") else path_part)
    if not path_text or path_text == ":memory:":
        raise StoreUnavailable(
            f"database URL {url!r} names no file: use sqlite:///newsroom.db (an in-memory "
            "store would lose everything when the command ends)"
        )
    path = Path(path_text)
    mode = query.get("mode")
    if mode not in (None, "ro"):
        raise StoreUnavailable(
            f"invalid mode {mode!r} in {_safe_url(url)!r}: the one mode is ?mode=ro (read-only)"
        )
    read_only = mode == "ro"
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        # A read-only store is opened through SQLite's URI form, which refuses every write.
        "SQLITE_DBNAME": f"file:{quote(str(path))}?mode=ro" if read_only else str(path),
        "SQLITE_LOCK_TIMEOUT": str(_timeout(url, query, SQLITE_BUSY_TIMEOUT_SECONDS)),
    }
    if read_only:
        env["CREATE_TABLE"] = "n"
    return StoreConfig(url=url, backend="sqlite", env=env, sqlite_path=path, read_only=read_only)


def _timeout(url: str, query: dict[str, str], default: int) -> int:
    """The `?timeout=SECONDS` a writer waits for a lock before giving up."""
    text = query.get("timeout", str(default))
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_TIMEOUT_SECONDS:
        raise StoreUnavailable(
            f"invalid timeout {text!r} in {_safe_url(url)!r}: give whole seconds from 1 to "
            f"{MAX_TIMEOUT_SECONDS}, e.g. ?timeout=10"
        )
    return int(text)


def _postgres_config(url: str, parts: SplitResult, query: dict[str, str]) -> StoreConfig:
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise StoreUnavailable(f"database URL {_safe_url(url)!r} names no database: add /DBNAME at the end")
    port = parts.port or 5432  # a port out of range is the URL parser's ValueError, as a bracket is
    schema = _schema(url, query)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname or "localhost",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_LOCK_TIMEOUT": str(_timeout(url, query, POSTGRES_LOCK_TIMEOUT_SECONDS)),
        # One connection is opened up front (a command uses one at a time); a follower's
        # subscription takes a second one when it needs it.
        "POSTGRES_POOL_SIZE": "1",
        "POSTGRES_MAX_OVERFLOW": "3",
        "POSTGRES_PRE_PING": "y",
    }
    return StoreConfig(url=url, backend="postgresql", env=env, postgres_schema=schema)


def _schema(url: str, query: dict[str, str]) -> str:
    """The store's schema (`public` when the URL gives none): one whose key schema,
    `<schema>_keys`, fits PostgreSQL's name limit too, so that the keys never land elsewhere."""
    schema = query.get("schema", "public")
    problem = schema_name_problem(schema, limit=NAME_BYTES - len(KEYS_SCHEMA_SUFFIX))
    if problem is not None:
        if problem.endswith("fit"):
            problem += f" (its key schema adds {KEYS_SCHEMA_SUFFIX!r})"
        raise StoreUnavailable(f"schema {schema!r} in {_safe_url(url)!r} {problem}: choose another ?schema=")
    return schema


@contextmanager
def ready_store(config: StoreConfig) -> Iterator[StoreConfig]:
    """Checks the store, then yields the settings to build the application with (while it is built).

    A store whose tables all exist is used as it is: the library is told not to create them, so a
    command starts with no DDL and no lock. A new store gets its tables as the application is built,
    on PostgreSQL one process at a time (`schema_lock`).
    """
    if config.backend == "sqlite":
        yield _with_tables(config, exist=_check_sqlite(config))
        return
    connection = _connect_postgres(config)
    try:
        if _postgres_tables_exist(connection, config):
            connection.close()  # before the application opens its own
            yield _with_tables(config, exist=True)
            return
        with schema_lock(connection):
            # Another process may have created them while this one waited for the lock.
            yield _with_tables(config, exist=_postgres_tables_exist(connection, config))
    finally:
        connection.close()


def _with_tables(config: StoreConfig, *, exist: bool) -> StoreConfig:
    return replace(config, env={**config.env, "CREATE_TABLE": "n"}) if exist else config


@contextmanager
def schema_lock(connection: Any) -> Iterator[None]:
    """Serialises creating tables: PostgreSQL fails concurrent CREATE ... IF NOT EXISTS
    ("tuple concurrently updated") when several processes start on a new store at once."""
    import psycopg

    _query(connection, "SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
    try:
        yield
    finally:
        # Closing the connection, which follows, releases the lock too if this fails.
        with suppress(psycopg.Error):
            connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def _check_sqlite(config: StoreConfig) -> bool:
    """Refuses a file the newsroom cannot or must not use; True if the store's tables exist."""
    path = config.sqlite_path
    assert path is not None
    try:
        if not _sqlite_file_in_place(config, path):
            return False
    except (OSError, ValueError) as error:  # a name too long, a folder it may not enter, a NUL
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise StoreUnavailable(
            f"the database path {_shown(path)} cannot be used ({reason}): nothing was written; "
            "choose another --db"
        ) from None
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise StoreUnavailable(_unreadable_sqlite(path, error)) from None
    finally:
        connection.close()
    if tables and config.events_table not in tables:
        raise StoreUnavailable(
            f"{_shown(path)} is an SQLite database but not a newsroom store: choose another --db"
        )
    return tables.issuperset(SQLITE_TABLES)


def _sqlite_file_in_place(config: StoreConfig, path: Path) -> bool:
    """Refuses a path that cannot hold the store; True if a database file is there to look in."""
    if "\x00" in str(path):
        raise StoreUnavailable(f"the database path {_shown(path)} holds a NUL character: choose another --db")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StoreUnavailable(
            f"folder {_shown(folder)} for the database {_shown(path)} does not exist: "
            "create it first or choose another --db"
        )
    if path.is_dir():
        raise StoreUnavailable(f"{_shown(path)} is a folder, not a database file: choose a file path")
    if config.read_only and not path.exists():
        raise StoreUnavailable(f"read-only database {_shown(path)} does not exist: check the --db path")
    return path.exists() and path.stat().st_size > 0


def _unreadable_sqlite(path: Path, error: sqlite3.DatabaseError) -> str:
    """Why SQLite could not read the file's tables, in its words. Only a file SQLite calls not a
    database is called so: a full disk (SQLite cannot make the write-ahead log's index beside a
    healthy store) or a lock must not read as a store to give up on."""
    said = str(error) or type(error).__name__
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
        return f"{_shown(path)} is not an SQLite database: choose another --db"
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_CORRUPT:
        return (
            f"{_shown(path)} is damaged (SQLite said: {said}): nothing was written; "
            "restore it from a backup or choose another --db"
        )
    if getattr(error, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL):
        return (
            f"SQLite could not open {_shown(path)} (it said: {said}; a full disk says this too): "
            "nothing was written; check the disk's free space and try again"
        )
    return f"SQLite could not open {_shown(path)} (it said: {said}): nothing was written; try again"


def _shown(path: Path) -> str:
    """A path for a message: quoted, and cut short if it is long enough to hide the message."""
    text = str(path)
    return repr(text) if len(text) <= 200 else repr(f"{text[:100]}...{text[-40:]}")


def _connect_postgres(config: StoreConfig) -> Any:
    import psycopg

    try:
        return psycopg.connect(**_libpq_params(config), autocommit=True)
    except psycopg.Error as error:
        raise StoreUnavailable(
            f"cannot reach the PostgreSQL database at {_safe_url(config.url)}: {_reason(error)}; "
            "check the --db URL and that the server is running"
        ) from None


_STORE_OBJECTS = """
SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %(schema)s),
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = %(schema)s AND c.relname = ANY(%(relations)s))
     + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = %(schema)s AND t.typname = ANY(%(types)s))
"""


def _postgres_tables_exist(connection: Any, config: StoreConfig) -> bool:
    """True if the schema holds every table, index and type the library would create; refuses a
    missing schema. One round trip."""
    schema = config.postgres_schema
    params = {"schema": schema, "relations": list(POSTGRES_RELATIONS), "types": list(POSTGRES_TYPES)}
    row = _query(connection, _STORE_OBJECTS, params)
    if not row[0]:
        raise StoreUnavailable(
            f"schema {schema!r} does not exist in {_safe_url(config.url)}: "
            "create it first or choose another --db"
        )
    return bool(row[1] == len(POSTGRES_RELATIONS) + len(POSTGRES_TYPES))


def _query(connection: Any, sql: str, params: Any) -> Any:
    import psycopg

    try:
        return connection.execute(sql, params).fetchone()
    except psycopg.Error as error:
        reason = _reason(error)
        raise StoreUnavailable(f"the PostgreSQL store could not be opened: {reason}; try again") from None


def _reason(error: Exception) -> str:
    text = str(error).strip()
    return " ".join(text.splitlines()[-1].split()) if text else type(error).__name__


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
    """A URL for a message: no password, and cut short if it is long enough to hide the message."""
    parts = urlsplit(url)
    if parts.password:
        url = url.replace(f":{parts.password}@", ":***@")
    return url if len(url) <= 200 else f"{url[:100]}...{url[-40:]}"
