"""Reading one page of a long story from the live-page read model: the header, the pinned update,
the `size` newest updates below a cursor, and the key events of the whole story. Every query
reads only the rows it shows, by the story's index prefix (`page_updates_now`, the primary key,
`page_updates_key_events`), so a page costs the same at any story length.

A page is addressed by `before`: the updates numbered below it, newest first (None: the newest
page, the only one that shows the pinned update, which no other page repeats). The cursor names
updates, not positions, so a page does not move when new updates arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from domain import rules
from domain.page import Header, Page, Update
from domain.story_ids import story_id_for
from infrastructure.page_json import StoredUpdates, header_from_json, update_from_json
from infrastructure.projections.database import snapshot
from infrastructure.projections.live_page_tables import (
    KEY_EVENTS,
    SHOWN_NOW,
    from_microseconds,
    page_headers,
    page_updates,
    shown_at,
)
from infrastructure.projections.page_reading import VersionNotFound, story_row


@dataclass(frozen=True)
class PageWindow:
    """One page of a story: `page` holds only the updates this page shows (the pinned one first on
    the newest page); `older`, the cursor of the next older page (None: this is the oldest);
    `newer`, that of the next newer page (None: the newest page), when `has_newer`;
    `key_events`, every key event of the story, newest first; `last_number`, the highest update
    number ever posted (retracted ones included)."""

    page: Page
    before: int | None
    older: int | None
    newer: int | None
    has_newer: bool
    key_events: tuple[Update, ...]
    last_number: int

    @property
    def numbers(self) -> tuple[int, ...]:
        """The updates this page shows, in reading order."""
        return tuple(u.number for u in self.page.updates)

    @property
    def holds(self) -> frozenset[int]:
        """Every update a change to which changes an answer made of this page: those it shows and
        those its key-events list names (a cache tags the answer by them)."""
        return frozenset(self.numbers) | {u.number for u in self.key_events}


def read_page_window(
    source: Connection | Engine, slug: str, size: int, before: int | None = None, version: int | None = None
) -> PageWindow:
    """The page of `size` updates below `before` (None: the newest), now or at `version`."""
    story_id = story_id_for(rules.valid_slug(slug))
    with snapshot(source) as connection:
        header, at, updated_at, shown = _header(connection, slug, story_id, version)
        of_story = [page_updates.c.story_id == story_id, shown]
        others = of_story if header.pinned is None else [*of_story, page_updates.c.number != header.pinned]
        below = [] if before is None else [page_updates.c.number < before]
        rows = _rows(connection, [*others, *below], size + 1, newest_first=True)
        pinned = []
        if before is None and header.pinned is not None:
            pinned = _rows(connection, [*of_story, page_updates.c.number == header.pinned], 1)
        # The newer page is the newest unless `size` more updates stand between it and this one.
        above = (
            [] if before is None else _rows(connection, [*others, page_updates.c.number >= before], size + 1)
        )
        key_events = _rows(connection, [*of_story, KEY_EVENTS], None, newest_first=True)
        last_number = _last_number(connection, story_id)
    texts = [row[1] for row in [*pinned, *rows[:size]]]
    return PageWindow(
        page=Page(header, at, updated_at, StoredUpdates(texts)),
        before=before,
        older=rows[size - 1][0] if len(rows) > size else None,
        newer=above[size - 1][0] + 1 if len(above) > size else None,
        has_newer=before is not None,
        key_events=tuple(update_from_json(row[1]) for row in key_events),
        last_number=last_number,
    )


def _header(
    connection: Connection, slug: str, story_id: Any, version: int | None
) -> tuple[Header, int, datetime, Any]:
    """The story's header at `version` (None: now), that version, its time, and the condition
    on `page_updates` for the rows it shows."""
    story = story_row(connection, story_id, slug)
    header_text, last_version, updated_at = story
    if version is None or version == last_version:
        return header_from_json(header_text), last_version, updated_at, SHOWN_NOW
    if not 1 <= version <= last_version:
        raise VersionNotFound(slug, version, last_version)
    header_text, updated_at = _header_at(connection, story_id, version)
    return header_from_json(header_text), version, updated_at, shown_at(version)


def _rows(
    connection: Connection, where: list[Any], limit: int | None, *, newest_first: bool = False
) -> list[Any]:
    """(number, page) rows matching `where`, oldest first (or newest first), at most `limit`."""
    columns = [page_updates.c.number, page_updates.c.page]
    order = page_updates.c.number.desc() if newest_first else page_updates.c.number.asc()
    query = select(*columns).where(*where).order_by(order)
    if limit is not None:
        query = query.limit(limit)
    return list(connection.execute(query).all())


def _header_at(connection: Connection, story_id: Any, version: int) -> tuple[str, Any]:
    """The header in effect at `version`, and that version's time."""
    header_text, header_from, header_at = connection.execute(
        select(page_headers.c.header, page_headers.c.from_version, page_headers.c.at_microseconds)
        .where(page_headers.c.story_id == story_id, page_headers.c.from_version <= version)
        .order_by(page_headers.c.from_version.desc())
        .limit(1)
    ).one()
    at = header_at
    if header_from != version:
        # The version's own row is one of the updates it started (live_page.py).
        at = connection.execute(
            select(page_updates.c.at_microseconds).where(
                page_updates.c.story_id == story_id, page_updates.c.from_version == version
            )
        ).scalar()
    return header_text, from_microseconds(at)


@dataclass(frozen=True)
class UpdatePage:
    """One update's own page now: `page` shows only update `number` (no update if it is not
    shown: retracted, or never posted); `last_number`, the highest update number ever posted."""

    page: Page
    number: int
    last_number: int

    @property
    def holds(self) -> frozenset[int]:
        """The update a change to which changes this answer (a cache tags the answer by it)."""
        return frozenset({self.number})


def read_update_page(source: Connection | Engine, slug: str, number: int) -> UpdatePage:
    """The story's header now and update `number` as its page shows it now: two indexed reads."""
    story_id = story_id_for(rules.valid_slug(slug))
    with snapshot(source) as connection:
        story = story_row(connection, story_id, slug)
        of_update = [page_updates.c.story_id == story_id, SHOWN_NOW, page_updates.c.number == number]
        rows = _rows(connection, of_update, 1)
        last_number = _last_number(connection, story_id)
    header_text, version, updated_at = story
    page = Page(header_from_json(header_text), version, updated_at, StoredUpdates([row[1] for row in rows]))
    return UpdatePage(page, number, last_number)


def _last_number(connection: Connection, story_id: Any) -> int:
    """The highest update number the story ever had (its retracted updates keep their rows)."""
    last = connection.execute(
        select(page_updates.c.number)
        .where(page_updates.c.story_id == story_id)
        .order_by(page_updates.c.number.desc())
        .limit(1)
    ).scalar()
    return int(last or 0)
