"""The bare-library baselines: the eventsourcing Application with its own store module, no newsroom code.

The raw driver floor lives here too: how fast sqlite3 or psycopg alone read the events table.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from benchmarks.stores import SQLITE, Store
from benchmarks.stories import EDITOR, body_blocks
from domain.application import Newsroom
from domain.blocks import block_to_dict
from domain.story import Story
from infrastructure.store import parse_url
from tests.support.postgres import libpq_url


class Blog(Aggregate):
    """A minimal live blog: the library's own aggregate, keeping only a count of its posts."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.posts = 0

    @event("UpdatePosted")
    def post_update(
        self,
        number: int,
        title: str,
        byline: str | None,
        body: list[dict[str, Any]],
        key_event: bool,
        editor: str,
    ) -> None:
        self.posts += 1


class BareBlogs(Application[UUID]):
    """The library's Application with the newsroom's snapshot interval and nothing else."""

    name = "BareBlogs"
    snapshotting_intervals = {Blog: Newsroom.snapshotting_intervals[Story]}

    def open_blog(self, slug: str) -> UUID:
        blog = Blog(slug)
        self.save(blog)
        return blog.id

    def post_update(self, blog_id: UUID, title: str, body: list[dict[str, Any]]) -> int:
        """Load, one event, save: the least a write command can do."""
        blog = self.repository.get(blog_id)
        assert isinstance(blog, Blog)
        blog.post_update(blog.posts + 1, title, None, body, False, EDITOR)
        self.save(blog)
        return blog.posts


def bare_blogs(store: Store) -> BareBlogs:
    return BareBlogs(env=store.library_env(BareBlogs.name))


def equivalent_body() -> list[dict[str, Any]]:
    """The update body as the JSON the newsroom stores: the same blocks, as plain dicts."""
    return [block_to_dict(b) for b in body_blocks()]


def stored_state_size(app: Application[UUID], aggregate_id: UUID) -> int:
    """Bytes of the latest stored event of an aggregate: to show the payloads are alike."""
    [stored] = app.recorder.select_events(aggregate_id, desc=True, limit=1)
    return len(stored.state)


class RawEventsReader:
    """The floor: the bare driver (sqlite3 or psycopg, no ORM, no decoding) reading the events table."""

    def __init__(self, store: Store) -> None:
        config = parse_url(store.url)
        if store.backend == SQLITE:
            assert config.sqlite_path is not None
            self.connection: Any = sqlite3.connect(str(config.sqlite_path))
            self.query: Any = "SELECT * FROM stored_events"
        else:
            import psycopg
            from psycopg.sql import SQL, Identifier

            self.connection = psycopg.connect(libpq_url(store.url))
            events = Identifier(config.postgres_schema, config.events_table)
            self.query = SQL("SELECT * FROM {}").format(events)

    def read_all(self) -> int:
        """Fetches every row; returns how many there were."""
        rows = self.connection.execute(self.query).fetchall()
        if not isinstance(self.connection, sqlite3.Connection):
            self.connection.rollback()
        return len(rows)

    def close(self) -> None:
        self.connection.close()
