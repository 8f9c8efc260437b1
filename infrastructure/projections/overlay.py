"""Read models a reader may not write (a read-only store, views on a replica), brought current for
one process without rebuilding them: the stored read models are read as they are, and the events
after their tracked positions are applied in memory to copies of the rows of the stories those
events touch. The cost grows with the lag (and the stories it touches), not with the store.

Every table of the read models is keyed by story (`story_id`) but the tracking and versions; a
read of a story the lag touched is answered from memory, any other from the stored read models,
and the story list from both (`OverlaidQueries`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection

from domain.page import Page
from domain.story import STORY_TOPICS
from domain.story_ids import story_id_for
from domain.story_summary import StorySummary
from infrastructure.projections.database import snapshot, writing
from infrastructure.projections.page_reading import PageTimeline, read_story_rows
from infrastructure.projections.page_window import PageWindow, UpdatePage
from infrastructure.projections.queries import ReadQueries
from infrastructure.projections.runner import ProjectionRunner
from infrastructure.projections.tracking import projection_tracking

if TYPE_CHECKING:
    from infrastructure.projections.history_reading import HistoryEntry

_TOPICS = sorted(STORY_TOPICS)
_BATCH = 2000
_IN_CHUNK = 500
"""Story ids per `IN (...)`: well under any store's limit on a statement's parameters."""


def apply_lag_in_memory(stored: ProjectionRunner, memory: ProjectionRunner) -> set[UUID]:
    """Fills `memory` (a runner on an empty database) with the stored rows of the stories that
    the events after the stored read models' positions touch, then applies those events there;
    returns the ids of those stories. The stored read models must be built by this code.

    Their positions and the rows copied are read in one snapshot, and only the events up to the
    store's position then are applied, so a follower writing the stored read models meanwhile can
    neither make an event count twice nor leave one out."""
    with snapshot(stored.engine) as connection:
        positions = _positions(connection, stored.app.name)
        target = stored.app.recorder.max_notification_id() or 0
        touched = _stories_after(stored, min(positions.values(), default=0), target)
        memory.prepare()
        with writing(memory.engine) as into:
            for projection in memory.projections.values():
                for table in projection.metadata.sorted_tables:
                    _copy(connection, into, table, touched)
                into.execute(
                    update(projection_tracking)
                    .where(projection_tracking.c.projection == projection.name)
                    .values(notification_id=positions.get(projection.name, 0))
                )
    memory.catch_up(target=target)
    return touched


def _positions(connection: Connection, application_name: str) -> dict[str, int]:
    rows = connection.execute(
        select(projection_tracking.c.projection, projection_tracking.c.notification_id).where(
            projection_tracking.c.application_name == application_name
        )
    )
    return {name: position for name, position in rows}


def _stories_after(stored: ProjectionRunner, start: int, target: int) -> set[UUID]:
    """The stories with an event after notification `start`, up to `target`."""
    touched: set[UUID] = set()
    while start < target:
        notifications = stored.app.recorder.select_notifications(
            start, _BATCH, stop=target, topics=_TOPICS, inclusive_of_start=False
        )
        touched.update(UUID(str(n.originator_id)) for n in notifications)
        if len(notifications) < _BATCH:
            break
        start = notifications[-1].id
    return touched


def _copy(source: Connection, into: Connection, table: Table, stories: set[UUID]) -> None:
    """Copies `table`'s rows of `stories` (every row, for a table not kept by story)."""
    if "story_id" not in table.c:
        _insert(into, table, source.execute(select(table)).mappings().all())
        return
    ids = sorted(stories)
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        _insert(
            into, table, source.execute(select(table).where(table.c.story_id.in_(chunk))).mappings().all()
        )


def _insert(connection: Connection, table: Table, rows: Sequence[Any]) -> None:
    if rows:
        connection.execute(table.insert(), [dict(row) for row in rows])


class OverlaidQueries(ReadQueries):
    """The read queries over the stored read models, with the stories the lag touched read from
    their copies brought current in memory (`apply_lag_in_memory`)."""

    def __init__(self, stored: ReadQueries, fresh: ReadQueries, touched: Iterable[UUID]) -> None:
        super().__init__(stored.engine, stored.events_from)
        self.stored, self.fresh, self.touched = stored, fresh, set(touched)

    def page(self, slug: str) -> Page:
        return self._of(slug).page(slug)

    def page_at(self, slug: str, version: int) -> Page:
        return self._of(slug).page_at(slug, version)

    def version_at(self, slug: str, moment: datetime) -> int:
        return self._of(slug).version_at(slug, moment)

    def page_window(self, slug: str, size: int, before: int | None, version: int | None = None) -> PageWindow:
        return self._of(slug).page_window(slug, size, before, version)

    def update_page(self, slug: str, number: int) -> UpdatePage:
        return self._of(slug).update_page(slug, number)

    def history(self, slug: str, update: int | None = None) -> list[HistoryEntry]:
        return self._of(slug).history(slug, update)

    def timeline(self, slug: str) -> PageTimeline:
        return self._of(slug).timeline(slug)

    def history_rows(self, slug: str) -> list[tuple[int, str, int | None]]:
        return self._of(slug).history_rows(slug)

    def stories(self) -> list[StorySummary]:
        rows = [row for row in read_story_rows(self.stored.engine) if row[1] not in self.touched]
        rows += read_story_rows(self.fresh.engine)
        return [summary for _, _, summary in sorted(rows, key=lambda row: row[0])]

    def scheduling_stories(self) -> list[str]:
        stored = [s for s in self.stored.scheduling_stories() if story_id_for(s) not in self.touched]
        return sorted({*stored, *self.fresh.scheduling_stories()})

    def position(self) -> int:
        return self.fresh.position()

    def _of(self, slug: str) -> ReadQueries:
        return self.fresh if story_id_for(slug) in self.touched else self.stored
