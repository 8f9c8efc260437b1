"""The database as someone with access to it sees it: raw SQL behind the application's back."""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

from infrastructure.store import parse_url


class RawEvents:
    """Reads and rewrites stored events (and any other table) with plain SQL, SQLite or PostgreSQL."""

    def __init__(self, url: str) -> None:
        config = parse_url(url)
        self.backend = config.backend
        if config.backend == "sqlite":
            assert config.sqlite_path is not None
            self.connection: Any = sqlite3.connect(str(config.sqlite_path))
            self.schema: str | None = None
            self.mark = "?"
        else:
            import psycopg

            env = config.env
            self.connection = psycopg.connect(
                dbname=env["POSTGRES_DBNAME"],
                host=env["POSTGRES_HOST"],
                port=env["POSTGRES_PORT"],
                user=env["POSTGRES_USER"],
                password=env["POSTGRES_PASSWORD"] or None,
                autocommit=True,
            )
            self.schema = config.postgres_schema
            self.mark = "%s"
        self.table = self.qualified(config.events_table)

    def qualified(self, table: str) -> str:
        """`table` as SQL names it in the store's database (and schema), quoted by the driver."""
        if self.schema is None:
            return '"' + table.replace('"', '""') + '"'  # SQLite quotes as the SQL standard does
        from psycopg.sql import Identifier

        return Identifier(self.schema, table).as_string(self.connection)

    def run(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Runs one statement with `?` placeholders and commits it."""
        sql = sql.replace("?", self.mark)
        if self.backend == "sqlite":
            with self.connection:
                return self.connection.execute(sql, params).fetchall()
        cursor = self.connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else []

    def uuid(self, story_id: UUID) -> Any:
        """A UUID as this database stores it."""
        return story_id.hex if self.backend == "sqlite" else story_id

    def state(self, story_id: UUID, version: int) -> bytes:
        [(state,)] = self.run(
            f"SELECT state FROM {self.table} WHERE originator_id = ? AND originator_version = ?",
            self.uuid(story_id),
            version,
        )
        return bytes(state)

    def set_state(self, story_id: UUID, version: int, state: bytes) -> None:
        self.run(
            f"UPDATE {self.table} SET state = ? WHERE originator_id = ? AND originator_version = ?",
            state,
            self.uuid(story_id),
            version,
        )

    def replace_in_state(self, story_id: UUID, version: int, old: bytes, new: bytes) -> None:
        state = self.state(story_id, version)
        assert state.count(old) == 1, (old, state)
        self.set_state(story_id, version, state.replace(old, new))

    def delete(self, story_id: UUID, version: int) -> None:
        self.run(
            f"DELETE FROM {self.table} WHERE originator_id = ? AND originator_version = ?",
            self.uuid(story_id),
            version,
        )

    def insert(self, story_id: UUID, version: int, topic: str, state: bytes) -> None:
        self.run(
            f"INSERT INTO {self.table} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
            self.uuid(story_id),
            version,
            topic,
            state,
        )

    def close(self) -> None:
        self.connection.close()
