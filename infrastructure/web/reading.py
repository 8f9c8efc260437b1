"""The readers' web's one door to the read side: everything it reads goes through `Reading`.

The rest of `infrastructure/web/` sees only what this module returns: the typed `Page`
(`domain/page.py`, its header with the story's time zone and coverage times), story summaries
(`StoryCard`), a story's events as bare facts (`StoryEvent`), and `PageMissing` for anything a
reader may not see. When the read side changes shape, this is the module to re-point.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.errors import InvalidInput, StoryNotFound
from domain.page import Page

if TYPE_CHECKING:
    from infrastructure.bootstrap import Services
    from infrastructure.projections.page_window import PageWindow, UpdatePage
    from infrastructure.web.purge_positions import PurgePositions

__all__ = ["PageMissing", "Reading", "StoryCard", "StoryEvent"]

POLL_SECONDS = 0.5
"""How often an SQLite store is asked for its last notification id (it has no LISTEN/NOTIFY)."""


class PageMissing(LookupError):
    """No such story, version or time, or not one readers may see (a malformed slug included)."""


@dataclass(frozen=True)
class StoryCard:
    """A line of the story list."""

    slug: str
    headline: str
    status: str
    version: int


@dataclass(frozen=True)
class StoryEvent:
    """One event of a story, as the web needs it: the version after it, its time, its type
    (`UpdatePosted`...) and the update it concerns."""

    version: int
    at: datetime
    event_type: str
    update: int | None


class Reading:
    """The read models of one store, for the web: pages now and then, events, catching up."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @classmethod
    def open(cls, url: str) -> Reading:
        from infrastructure.bootstrap import bootstrap

        return cls(bootstrap(url))

    def close(self) -> None:
        self.services.close()

    # Reading.

    def stories(self) -> list[StoryCard]:
        """Every story (drafts included), in the order they were opened."""
        return [StoryCard(s.slug, s.headline, s.status, s.version) for s in self.services.queries.stories()]

    def page(self, slug: str) -> Page:
        """The page now."""
        with _missing():
            return self.services.queries.page(slug)

    def page_at(self, slug: str, version: int) -> Page:
        """The page as it stood just after the story's `version`th event."""
        with _missing():
            return self.services.queries.page_at(slug, version)

    def page_window(self, slug: str, size: int, before: int | None, version: int | None) -> PageWindow:
        """One page of the story: `size` updates below `before` (None: the newest), now or at
        `version` (None: now)."""
        with _missing():
            return self.services.queries.page_window(slug, size, before, version)

    def update_page(self, slug: str, number: int) -> UpdatePage:
        """The story's header now and update `number` as readers see it now."""
        with _missing():
            return self.services.queries.update_page(slug, number)

    def version_at(self, slug: str, moment: datetime) -> int:
        """The story's version at `moment` (that of the last event at or before it)."""
        with _missing():
            return self.services.queries.version_at(slug, moment)

    def events_after(self, slug: str, after: int) -> list[StoryEvent]:
        """The story's events after version `after`, oldest first."""
        with _missing():
            entries = self.services.queries.history(slug)
        return [StoryEvent(e.version, e.at, e.event_type, e.update) for e in entries if e.version > after]

    def stored_version(self, slug: str) -> int:
        """The story's version in the event store itself (its last event), which this process's
        read models may not have reached yet: one indexed read; 0 for a story never opened."""
        from domain.story import Story

        app = self.services.reader
        last = list(app.recorder.select_events(Story.id_for(slug), desc=True, limit=1))
        return last[0].originator_version if last else 0

    def health(self) -> dict[str, Any]:
        """For `/healthz`: each read model's position and lag, and the replica's replay lag in
        events and seconds (null without --read-db)."""
        rows = self.services.runner.status()
        lag = self.services.replica_lag()
        return {
            "read_models": {
                s.name: {
                    "position": s.position,
                    "store_position": s.store_position,
                    "lag": s.lag,
                    "state": s.state,
                }
                for s in rows
            },
            "replica": None
            if lag is None
            else {"position": lag.replica_position, "lag_events": lag.events, "lag_seconds": lag.seconds},
        }

    # Keeping current.

    def catch_up(self) -> None:
        """Applies every event recorded so far to the read models (beside any other follower).

        A read-only store cannot take it: the web then serves the read models as a follower on a
        writable URL keeps them (`projections run --follow`)."""
        if self.services.can_catch_up:
            self.services.runner.catch_up()

    def forgotten(self) -> int:
        """How many takedowns and erasures this process has seen (`infrastructure.forgetting`),
        looking for new ones first: its keys of them are forgotten by then."""
        return self.services.forgetting.look()

    def erasures(self) -> int:
        """How many people were erased in the store (the same count in every process)."""
        return self.services.app.get_erasure_count()

    def publish_due(self) -> None:
        """Publishes what is due on the schedule (`infrastructure.publisher`), as a follower does;
        not on a read-only store (its writable follower publishes)."""
        if not self.services.config.read_only:
            self.services.publisher.tick()

    def purge_positions(self, cache_url: str) -> PurgePositions:
        """Where the purges of the cache at `cache_url` stand, kept with the read models."""
        from infrastructure.web.purge_positions import PurgePositions

        return PurgePositions(self.services.runner.engine, cache_url)

    def last_position(self) -> int:
        return self.services.reader.recorder.max_notification_id() or 0

    def watch(self, stop: threading.Event, news: threading.Event, poll_seconds: float = POLL_SECONDS) -> None:
        """Sets `news` whenever the store may hold new events, until `stop` is set: PostgreSQL's
        LISTEN/NOTIFY through the library's subscription, or on SQLite a change to its files (else a
        poll of the last id)."""
        last = self.last_position()
        while not stop.is_set():
            try:
                subscription = self.services.reader.recorder.subscribe(gt=last)
            except NotImplementedError:
                self._poll(stop, news, last, poll_seconds)
                return
            with subscription:
                stopper = threading.Thread(target=_stop_when, args=(stop, subscription), daemon=True)
                stopper.start()
                for notification in subscription:
                    last = notification.id
                    news.set()
            stop.wait(poll_seconds)  # the subscription ended (a lost connection): subscribe again

    def _poll(self, stop: threading.Event, news: threading.Event, last: int, poll_seconds: float) -> None:
        """SQLite: woken by a change to the store's files (`store_changes`), else every poll."""
        from infrastructure.store_changes import StoreChanges

        changes = StoreChanges(self.services.config.sqlite_path, stop)
        while not stop.is_set():
            changes.wait(poll_seconds)
            position = self.last_position()
            if position != last:
                last = position
                news.set()


def _stop_when(stop: threading.Event, subscription: Any) -> None:
    stop.wait()
    subscription.stop()


@contextmanager
def _missing() -> Iterator[None]:
    """Turns the read side's "no such story / version / slug" into `PageMissing`."""
    from infrastructure.projections.page_reading import VersionNotFound

    try:
        yield
    except (StoryNotFound, VersionNotFound, InvalidInput) as error:
        raise PageMissing(str(error)) from error
