"""Reading the live-page read model: the page now, at a past version or time, and its whole
timeline (for the audit's replay). Every page is a `domain.page.Page`, its updates decoded from
their rows when a renderer first asks (`page_json.StoredUpdates`).

A past page is the header row in effect and the update rows shown at that version, read by the
story's primary-key prefix like the page now, with no event to fold; the version at a time is the
first version whose row started after it, less one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine, Row

from domain import rules
from domain.errors import NewsroomError, StoryNotFound
from domain.page import Header, Page, Update
from domain.story_ids import story_id_for
from domain.story_summary import StorySummary
from infrastructure.page_json import StoredUpdates, header_from_json, update_from_json
from infrastructure.projections.database import snapshot
from infrastructure.projections.live_page_tables import (
    SHOWN_NOW,
    from_microseconds,
    microseconds,
    page_headers,
    page_stories,
    page_updates,
    shown_at,
)


class VersionNotFound(NewsroomError):
    """The story has no such version (yet)."""

    def __init__(self, slug: str, version: int, last: int) -> None:
        self.slug, self.version, self.last = slug, version, last
        super().__init__(f"story {slug!r} has no version {version}; its versions are 1 to {last}")


def story_row(connection: Connection, story_id: UUID, slug: str) -> Row[Any]:
    """The story's row now: its header (as stored), version and when it last changed."""
    story = connection.execute(
        select(page_stories.c.header, page_stories.c.version, page_stories.c.updated_at).where(
            page_stories.c.story_id == story_id
        )
    ).first()
    if story is None:
        raise StoryNotFound(slug)
    return story


def read_page(source: Connection | Engine, slug: str) -> Page:
    """The story's page now: two queries on one snapshot, nothing decoded yet."""
    story_id = story_id_for(rules.valid_slug(slug))
    with snapshot(source) as connection:
        story = story_row(connection, story_id, slug)
        rows = _update_rows(connection, story_id, SHOWN_NOW)
    header, version, updated_at = story
    return _page(header_from_json(header), version, updated_at, rows)


def read_page_at(source: Connection | Engine, slug: str, version: int) -> Page:
    """The page exactly as it stood just after the story's `version`th event."""
    story_id = story_id_for(rules.valid_slug(slug))
    with snapshot(source) as connection:
        last = _last_version(connection, slug, story_id)
        if not 1 <= version <= last:
            raise VersionNotFound(slug, version, last)
        header_row = connection.execute(
            select(page_headers.c.header, page_headers.c.from_version, page_headers.c.at_microseconds)
            .where(page_headers.c.story_id == story_id, page_headers.c.from_version <= version)
            .order_by(page_headers.c.from_version.desc())
            .limit(1)
        ).one()
        rows = _update_rows(connection, story_id, shown_at(version), starts=True)
    header, header_from, header_at = header_row
    # The version's own row is the header in effect or one of the updates shown (live_page.py).
    at = header_at if header_from == version else next((row[3] for row in rows if row[2] == version), None)
    assert at is not None, (
        f"no row of {slug!r} starts at version {version}: `audit replay` shows what is amiss"
    )
    return _page(header_from_json(header), version, from_microseconds(at), rows)


def read_version_at(source: Connection | Engine, slug: str, moment: datetime) -> int:
    """The story's version at `moment` (a time without a zone is taken as UTC): that of the last
    event recorded at or before it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    story_id = story_id_for(rules.valid_slug(slug))
    with snapshot(source) as connection:
        last = _last_version(connection, slug, story_id)
        after = microseconds(moment)
        firsts = [
            connection.execute(
                select(func.min(table.c.from_version)).where(
                    table.c.story_id == story_id, table.c.at_microseconds > after
                )
            ).scalar()
            for table in (page_headers, page_updates)
        ]
    starts = [first for first in firsts if first is not None]
    version = last if not starts else min(starts) - 1
    if version == 0:
        raise StoryNotFound(slug, at=moment)
    return version


def _update_rows(connection: Connection, story_id: Any, shown: Any, *, starts: bool = False) -> list[Any]:
    """The (number, page) rows of the story's updates that match `shown`, newest first; with
    `starts`, each row's from_version and at_microseconds too."""
    columns = [page_updates.c.number, page_updates.c.page]
    if starts:
        columns += [page_updates.c.from_version, page_updates.c.at_microseconds]
    result = connection.execute(
        select(*columns)
        .where(page_updates.c.story_id == story_id, shown)
        .order_by(page_updates.c.number.desc())
    )
    # The driver's own tuples: thousands of rows skip SQLAlchemy's per-value processing.
    return list(result.cursor.fetchall()) if result.cursor is not None else []


def _page(header: Header, version: int, updated_at: datetime, rows: list[Any]) -> Page:
    """The page of these rows (newest first): the pinned update goes first."""
    texts = [row[1] for row in rows]
    if header.pinned is not None:
        for index, row in enumerate(rows):
            if row[0] == header.pinned:
                texts.insert(0, texts.pop(index))
                break
    return Page(header, version, updated_at, StoredUpdates(texts))


def _last_version(connection: Connection, slug: str, story_id: object) -> int:
    last = connection.execute(
        select(page_stories.c.version).where(page_stories.c.story_id == story_id)
    ).scalar()
    if last is None:
        raise StoryNotFound(slug)
    return int(last)


@dataclass
class PageTimeline:
    """Every version of a story's page, as runs: each header from the version it took effect,
    each update from one version up to another (None: still shown), each version's time.

    Runs next to each other that show the same are one run, so two timelines that give the same
    page at every version are equal however their rows were cut.
    """

    times: dict[int, datetime] = field(default_factory=dict)
    headers: list[tuple[int, Header]] = field(default_factory=list)
    updates: dict[int, list[tuple[int, int | None, Update]]] = field(default_factory=dict)

    def header_from(self, version: int, header: Header) -> None:
        """The header shown from `version` on (headers added in order of version)."""
        if not self.headers or self.headers[-1][1] != header:
            self.headers.append((version, header))

    def update_run(self, start: int, end: int | None, update: Update) -> None:
        """The update shown so from `start` up to `end` (runs added in order of `start`)."""
        runs = self.updates.setdefault(update.number, [])
        if runs and runs[-1][1] == start and runs[-1][2] == update:
            runs[-1] = (runs[-1][0], end, update)
        else:
            runs.append((start, end, update))


def read_page_timeline(source: Connection | Engine, slug: str) -> PageTimeline:
    """The story's whole page timeline as the read model holds it (for the audit's replay)."""
    story_id = story_id_for(rules.valid_slug(slug))
    timeline = PageTimeline()
    with snapshot(source) as connection:
        _last_version(connection, slug, story_id)
        headers = connection.execute(
            select(page_headers)
            .where(page_headers.c.story_id == story_id)
            .order_by(page_headers.c.from_version)
        )
        for row in headers:
            timeline.times[row.from_version] = from_microseconds(row.at_microseconds)
            timeline.header_from(row.from_version, header_from_json(row.header))
        result = connection.execute(
            select(
                page_updates.c.from_version,
                page_updates.c.to_version,
                page_updates.c.at_microseconds,
                page_updates.c.page,
            )
            .where(page_updates.c.story_id == story_id)
            .order_by(page_updates.c.number, page_updates.c.from_version)
        )
        rows = result.cursor.fetchall() if result.cursor is not None else []
    for start, end, at, page in rows:
        timeline.times[start] = from_microseconds(at)
        timeline.update_run(start, end, update_from_json(page))
    return timeline


def read_story_summaries(source: Connection | Engine) -> list[StorySummary]:
    """Every story, in the order they were opened."""
    return [summary for _, _, summary in read_story_rows(source)]


def read_story_rows(source: Connection | Engine) -> list[tuple[int, UUID, StorySummary]]:
    """Every story's place in the order they were opened, its id and its line of the list."""
    with snapshot(source) as connection:
        rows = connection.execute(
            select(
                page_stories.c.opened_position,
                page_stories.c.story_id,
                page_stories.c.header,
                page_stories.c.version,
            ).order_by(page_stories.c.opened_position)
        ).all()
    return [(position, story, _summary(header, version)) for position, story, header, version in rows]


def _summary(header: str, version: int) -> StorySummary:
    shown = header_from_json(header)
    return StorySummary(shown.slug, shown.headline, shown.status, version)
