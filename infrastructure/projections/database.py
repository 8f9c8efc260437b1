"""The read models' SQLAlchemy engine, on the same database (and schema) as the event store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import DateTime, String, event, text
from sqlalchemy.engine import URL, Connection, Dialect, Engine, create_engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator, TypeEngine

from infrastructure.store import POSTGRES_LOCK_TIMEOUT_SECONDS, SQLITE_BUSY_TIMEOUT_SECONDS, StoreConfig

_WRITES = "newsroom_writes"


def read_model_engine(config: StoreConfig) -> Engine:
    """An engine on the store's own database: SQLite file or PostgreSQL schema."""
    if config.backend == "sqlite":
        return _sqlite_engine(config)
    return _postgres_engine(config)


def _sqlite_engine(config: StoreConfig) -> Engine:
    assert config.sqlite_path is not None
    timeout = int(config.env.get("SQLITE_LOCK_TIMEOUT", SQLITE_BUSY_TIMEOUT_SECONDS))
    if config.read_only:
        url = URL.create(
            "sqlite+pysqlite",
            database=f"file:{quote(str(config.sqlite_path))}",
            query={"mode": "ro", "uri": "true"},
        )
    else:
        url = URL.create("sqlite+pysqlite", database=str(config.sqlite_path))
    engine = create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False})
    _configure_sqlite(engine, wal=not config.read_only)
    return engine


def memory_engine() -> Engine:
    """An SQLite database in memory, for read models built for one command only."""
    engine = create_engine(
        "sqlite+pysqlite://",
        poolclass=StaticPool,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
    )
    _configure_sqlite(engine, wal=False)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    # The busy timeout is the driver's `timeout` (sqlite3 sets it on connecting): no PRAGMA text
    # is made from a setting.
    @event.listens_for(engine, "connect")
    def configure(dbapi_connection: Any, _record: Any) -> None:
        # Transactions are begun explicitly below, so that a writer takes the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # Some builds (Debian's) zero every freed page: a rebuild's DROP and every replaced row
        # would be written twice. What a takedown erases is reclaimed afterwards (`reclaim`).
        cursor.execute("PRAGMA secure_delete = OFF")
        if wal:
            cursor.execute("PRAGMA journal_mode = WAL")
            # Durable enough for a read model: a lost tail is simply applied again.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        # A writer that began deferred could fail to upgrade its read lock; IMMEDIATE waits instead.
        writes = connection.get_execution_options().get(_WRITES, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _postgres_engine(config: StoreConfig) -> Engine:
    env = config.env
    url = URL.create(
        "postgresql+psycopg",
        username=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        database=env["POSTGRES_DBNAME"],
    )
    lock_timeout = env.get("POSTGRES_LOCK_TIMEOUT", str(POSTGRES_LOCK_TIMEOUT_SECONDS))
    engine = create_engine(
        url,
        connect_args={
            "connect_timeout": int(env.get("POSTGRES_CONNECT_TIMEOUT", "5")),
            "options": f"-c timezone=UTC -c lock_timeout={int(lock_timeout)}s",
        },
        pool_size=2,
        max_overflow=2,
        pool_pre_ping=True,
    )
    return engine.execution_options(schema_translate_map={None: config.postgres_schema})


def schema_of(source: Engine | Connection) -> str | None:
    """The PostgreSQL schema the engine's (or connection's) unqualified tables are in, as
    `_postgres_engine` maps it (None on SQLite)."""
    return (source.get_execution_options().get("schema_translate_map") or {}).get(None)


def reclaim(engine: Engine, table: str) -> None:
    """Rewrites the store so that no bytes of rows replaced in `table` stay in its files: on
    SQLite the whole file (VACUUM, then the write-ahead log emptied), on PostgreSQL the table
    (VACUUM FULL, which writes it to new files and drops the old). Outside any transaction, so
    on the driver's own connection."""
    schema = schema_of(engine)
    connection = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            connection.execute("VACUUM")  # type: ignore[attr-defined]
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[attr-defined]
        else:
            from psycopg.sql import SQL, Identifier

            driver = connection.driver_connection
            assert driver is not None
            driver.autocommit = True
            name = Identifier(schema, table) if schema else Identifier(table)
            driver.execute(SQL("VACUUM FULL {}").format(name))
            driver.autocommit = False
    finally:
        connection.close()


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed if the block ends normally, rolled back otherwise."""
    with engine.connect() as connection:
        connection = connection.execution_options(**{_WRITES: True})
        with connection.begin():
            yield connection


@contextmanager
def snapshot(source: Connection | Engine) -> Iterator[Connection]:
    """A connection whose queries all see the same committed state of the read models."""
    if isinstance(source, Connection):
        yield source
        return
    with source.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def _utc_text(value: datetime) -> str:
    return (value if value.tzinfo is UTC else value.astimezone(UTC)).isoformat()


def _optional_utc_text(value: datetime | None) -> str | None:
    return None if value is None else _utc_text(value)


def lock_for_setup(connection: Connection) -> None:
    """Serialises creating, dropping and rebuilding read-model tables between processes.

    SQLite's write transaction (BEGIN IMMEDIATE) already excludes other writers.
    """
    if connection.dialect.name == "postgresql":
        schema = schema_of(connection)
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
            {"name": f"newsroom read models in {schema}"},
        )


class Moment(TypeDecorator[datetime]):
    """A UTC time: TIMESTAMPTZ on PostgreSQL, ISO 8601 text (sortable) on SQLite."""

    impl = String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime(timezone=True))
        return dialect.type_descriptor(String(40))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return _utc_text(value)

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        # Called once per statement by SQLAlchemy, and by projection.insert_many per row: the
        # direct function, rather than the generic wrapper around process_bind_param.
        if dialect.name == "postgresql":
            return None
        return _optional_utc_text

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None or dialect.name == "postgresql":
            return value
        return datetime.fromisoformat(value)
