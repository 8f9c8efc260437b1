"""The read side's questions, answered from the read models: the one object readers are given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from domain.page import Page
from domain.story_summary import StorySummary
from infrastructure.projections import page_reading, page_window
from infrastructure.projections.database import snapshot
from infrastructure.projections.page_reading import PageTimeline
from infrastructure.projections.page_window import PageWindow, UpdatePage
from infrastructure.projections.tracking import projection_tracking

if TYPE_CHECKING:
    from eventsourcing.application import Application

    from infrastructure.projections.history_reading import HistoryEntry


class ReadQueries:
    """Pages now and then, the version at a time, the history and the story list of one store.

    Answers come from the read models as they stand: whoever hands this out catches them up
    first (`Services.caught_up`).
    """

    def __init__(self, engine: Engine, events_from: Callable[[], Application[Any]]) -> None:
        self.engine = engine
        self.events_from = events_from
        """The application that reads the events the read models were built from (the history
        tells them), asked for only when a history is read: a page or a list never builds it."""

    def page(self, slug: str) -> Page:
        """The page now."""
        return page_reading.read_page(self.engine, slug)

    def page_at(self, slug: str, version: int) -> Page:
        """The page as it stood just after the story's `version`th event."""
        return page_reading.read_page_at(self.engine, slug, version)

    def page_window(self, slug: str, size: int, before: int | None, version: int | None = None) -> PageWindow:
        """One page of `size` updates below `before` (None: the newest), now or at `version`."""
        return page_window.read_page_window(self.engine, slug, size, before, version)

    def update_page(self, slug: str, number: int) -> UpdatePage:
        """The story's header now and update `number` as its page shows it now."""
        return page_window.read_update_page(self.engine, slug, number)

    def version_at(self, slug: str, moment: datetime) -> int:
        """The story's version at `moment` (UTC if it has no zone)."""
        return page_reading.read_version_at(self.engine, slug, moment)

    def history(self, slug: str, update: int | None = None) -> list[HistoryEntry]:
        """Every event of the story (or of one update), oldest first, with what it changed."""
        # Imported here: telling events loads the story's code, which a page or a list never needs.
        from infrastructure.projections.history_reading import read_history

        return read_history(self.engine, self.events_from(), slug, update)

    def history_rows(self, slug: str) -> list[tuple[int, str, int | None]]:
        """The history's rows of the story, oldest first: (version, event type, update number)
        as the read model holds them, no event read (for the audit's replay)."""
        from infrastructure.projections.history_reading import read_history_rows

        rows = read_history_rows(self.engine, slug)
        return [(row.version, row.event_type, row.update_number) for row in rows]

    def stories(self) -> list[StorySummary]:
        """Every story, in the order they were opened."""
        return page_reading.read_story_summaries(self.engine)

    def scheduling_stories(self) -> list[str]:
        """The slugs of the stories that ever had something scheduled (the publisher then reads
        each from the event store, which says what still waits)."""
        from infrastructure.projections.history import history_events
        from infrastructure.projections.live_page_tables import page_stories

        scheduling = ("UpdateScheduled", "PublicationScheduled")
        query = (
            select(page_stories.c.slug)
            .where(
                page_stories.c.story_id.in_(
                    select(history_events.c.story_id).where(history_events.c.event_type.in_(scheduling))
                )
            )
            .order_by(page_stories.c.slug)
        )
        with snapshot(self.engine) as connection:
            return list(connection.execute(query).scalars())

    def position(self) -> int:
        """The notification id every read model has applied up to (0: none yet)."""
        with snapshot(self.engine) as connection:
            return int(
                connection.execute(select(func.min(projection_tracking.c.notification_id))).scalar() or 0
            )

    def timeline(self, slug: str) -> PageTimeline:
        """Every version of the story's page (for the audit's replay)."""
        return page_reading.read_page_timeline(self.engine, slug)
