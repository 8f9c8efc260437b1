"""Time travel: the page as it stood at a past version or moment.

`read_page_at` and `read_version_at` read the live-page read model, which keeps every version of
every update and header (`live_page.py`): a past page is the header row in effect and the update
rows shown at that version, read by the story's primary-key prefix like the page now, with no
event to fold; the version at a time is the first version whose row started after it, less one.
`page_at_version` folds the story's events up to the version instead (the domain's own answer,
which the read model must equal; `read_page_timeline` gives the audit's replay the whole story).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from domain import rules
from domain.application import Newsroom
from domain.errors import NewsroomError, StoryNotFound
from domain.live_page import LivePage
from domain.story import Story
from infrastructure.projections.database import snapshot
from infrastructure.projections.live_page import (
    from_microseconds,
    microseconds,
    page_headers,
    page_of,
    page_stories,
    page_updates,
    read_update_rows,
    shown_at,
)
from infrastructure.rendering.page_view import PageView
from infrastructure.rendering.times import iso


class VersionNotFound(NewsroomError):
    """The story has no such version (yet)."""

    def __init__(self, slug: str, version: int, last: int) -> None:
        self.slug, self.version, self.last = slug, version, last
        super().__init__(f"story {slug!r} has no version {version}; its versions are 1 to {last}")


def read_page_at(source: Connection | Engine, slug: str, version: int) -> PageView:
    """The page exactly as it stood just after the story's `version`th event, from the read model."""
    story_id = Story.id_for(rules.valid_slug(slug))
    with snapshot(source) as connection:
        last = _last_version(connection, slug, story_id)
        if not 1 <= version <= last:
            raise VersionNotFound(slug, version, last)
        header = connection.execute(
            select(
                page_headers.c.headline,
                page_headers.c.standfirst,
                page_headers.c.status,
                page_headers.c.pinned,
                page_headers.c.from_version,
                page_headers.c.at_microseconds,
            )
            .where(page_headers.c.story_id == story_id, page_headers.c.from_version <= version)
            .order_by(page_headers.c.from_version.desc())
            .limit(1)
        ).one()
        rows = read_update_rows(connection, story_id, shown_at(version), starts=True)
    headline, standfirst, status, pinned, header_from, header_at = header
    # The version's own row is the header in effect or one of the updates shown (live_page.py).
    at = header_at if header_from == version else next((row[4] for row in rows if row[3] == version), None)
    assert at is not None, (
        f"no row of {slug!r} starts at version {version}: `audit replay` shows what is amiss"
    )
    updated_at = iso(from_microseconds(at)) or ""
    return page_of(slug, headline, standfirst, status, version, updated_at, pinned, rows)


def read_version_at(source: Connection | Engine, slug: str, moment: datetime) -> int:
    """The story's version at `moment` (a time without a zone is taken as UTC), from the read model:
    that of the last event recorded at or before it, as `Newsroom.get_version_at` finds it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    story_id = Story.id_for(rules.valid_slug(slug))
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
    first_after = min(starts) if starts else None
    version = last if first_after is None else first_after - 1
    if version == 0:
        raise StoryNotFound(slug, at=moment)
    return version


def _last_version(connection: Connection, slug: str, story_id: object) -> int:
    last = connection.execute(
        select(page_stories.c.version).where(page_stories.c.story_id == story_id)
    ).scalar()
    if last is None:
        raise StoryNotFound(slug)
    return int(last)


def last_version(app: Newsroom, slug: str) -> int:
    """The story's current version, read from its last event alone."""
    story_id = Story.id_for(rules.valid_slug(slug))
    last = list(app.events.get(story_id, desc=True, limit=1))
    if not last:
        raise StoryNotFound(slug)
    return last[0].originator_version


def page_at_version(app: Newsroom, slug: str, version: int) -> LivePage:
    """The page at `version` folded from the story's events (the domain's answer; slower)."""
    last = last_version(app, slug)
    if not 1 <= version <= last:
        raise VersionNotFound(slug, version, last)
    return app.get_page(slug, version)


Header = tuple[str, str | None, str, int | None]
"""A story's header: headline, standfirst, status and the pinned update's number."""
Shown = tuple[str, str | None]
"""An update as shown: the texts of its page (`pinned` false) and of its key-event entry, or None,
as `rendering.page_view` writes them."""


@dataclass
class PageTimeline:
    """Every version of a story's page, as runs: each header from the version it took effect,
    each update's page from one version up to another (None: still shown), each version's time.

    Runs next to each other that show the same are one run, so two timelines that give the same
    page at every version are equal however their rows were cut.
    """

    times: dict[int, str] = field(default_factory=dict)
    headers: list[tuple[int, Header]] = field(default_factory=list)
    updates: dict[int, list[tuple[int, int | None, Shown]]] = field(default_factory=dict)

    def header_from(self, version: int, header: Header) -> None:
        """The header shown from `version` on (headers added in order of version)."""
        if not self.headers or self.headers[-1][1] != header:
            self.headers.append((version, header))

    def update_run(self, number: int, start: int, end: int | None, shown: Shown) -> None:
        """Update `number` shown so from `start` up to `end` (runs added in order of `start`)."""
        runs = self.updates.setdefault(number, [])
        if runs and runs[-1][1] == start and runs[-1][2] == shown:
            runs[-1] = (runs[-1][0], end, shown)
        else:
            runs.append((start, end, shown))


def read_page_timeline(source: Connection | Engine, slug: str) -> PageTimeline:
    """The story's whole page timeline as the read model holds it (for the audit's replay)."""
    story_id = Story.id_for(rules.valid_slug(slug))
    timeline = PageTimeline()
    with snapshot(source) as connection:
        _last_version(connection, slug, story_id)
        headers = connection.execute(
            select(page_headers)
            .where(page_headers.c.story_id == story_id)
            .order_by(page_headers.c.from_version)
        )
        for row in headers:
            timeline.times[row.from_version] = iso(from_microseconds(row.at_microseconds)) or ""
            timeline.header_from(row.from_version, (row.headline, row.standfirst, row.status, row.pinned))
        result = connection.execute(
            select(
                page_updates.c.number,
                page_updates.c.from_version,
                page_updates.c.to_version,
                page_updates.c.at_microseconds,
                page_updates.c.page,
                page_updates.c.key_event,
            )
            .where(page_updates.c.story_id == story_id)
            .order_by(page_updates.c.number, page_updates.c.from_version)
        )
        # The driver's own tuples, as the page read takes them: a long story has many rows.
        rows = result.cursor.fetchall() if result.cursor is not None else []
    for number, start, end, at, page, key_event in rows:
        timeline.times[start] = iso(from_microseconds(at)) or ""
        timeline.update_run(number, start, end, (page, key_event))
    return timeline
