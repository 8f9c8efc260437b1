"""One broadcaster per process: learns of new events, catches the read models up, and fans each
story's changes out to the readers streaming it. No reader connection reads the database itself.

A thread watches the store (`Reading.watch`: LISTEN/NOTIFY on PostgreSQL, a poll of the last
notification id on SQLite), another catches up and reads the catalog when told there is news (or
every few seconds regardless, in case a notification was lost), works out the changes of each
story readers are streaming, and hands them to the event loop, which installs the new catalog
and puts the changes in each reader's queue: catalog and queues change on the loop only, so a
reader that subscribes and then reads the catalog's version misses nothing and gets nothing twice.
Each catalog installed is handed to the purger, if the server has one (`purge.py`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import defaultdict

from infrastructure.web.changes import Change
from infrastructure.web.purge import Purger
from infrastructure.web.reading import StoryCard
from infrastructure.web.site import MAX_LIMIT, Site

log = logging.getLogger("newsroom.web")

SAFETY_SECONDS = 5.0
"""Catch up at least this often even with no news (a notification lost with a connection)."""
RETRY_SECONDS = 1.0

ENDED = None
"""Put in a reader's queue when the server stops: the stream ends."""

Batch = list[Change] | None


class Broadcaster:
    """Keeps the site's catalog current and streams each story's changes to its readers."""

    def __init__(self, site: Site, purger: Purger | None = None) -> None:
        self.site = site
        self.purger = purger
        self.readers: dict[str, set[asyncio.Queue[Batch]]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._news = threading.Event()
        self._threads: list[threading.Thread] = []
        self._handed: dict[str, StoryCard] = {}
        """The catalog last handed to the loop (the follower thread's own view)."""

    # On the event loop.

    def subscribe(self, slug: str) -> asyncio.Queue[Batch]:
        queue: asyncio.Queue[Batch] = asyncio.Queue()
        self.readers[slug].add(queue)
        return queue

    def nudge(self) -> None:
        """Has the follower catch up now rather than at its next wake."""
        self._news.set()

    def unsubscribe(self, slug: str, queue: asyncio.Queue[Batch]) -> None:
        readers = self.readers.get(slug)
        if readers is not None:
            readers.discard(queue)
            if not readers:
                del self.readers[slug]

    def reader_count(self) -> int:
        return sum(len(queues) for queues in self.readers.values())

    def _deliver(self, catalog: dict[str, StoryCard], changes: dict[str, list[Change]]) -> None:
        self._install(catalog)
        for slug, batch in changes.items():
            for queue in self.readers.get(slug, ()):
                queue.put_nowait(batch)

    def _install(self, catalog: dict[str, StoryCard]) -> None:
        self.site.install(catalog)
        if self.purger is not None:
            self.purger.shown(catalog, self.site.erasures)

    def end_streams_soon(self) -> None:
        """Ends every open stream cleanly, from any thread (before stopping a server in-process)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._end_streams)

    def _end_streams(self) -> None:
        for queues in self.readers.values():
            for queue in queues:
                queue.put_nowait(ENDED)

    # Starting and stopping (on the event loop, from the app's lifespan).

    async def start(self) -> None:
        """Catches up once before serving, then follows the store in two threads."""
        self._loop = asyncio.get_running_loop()
        self._handed = await asyncio.to_thread(self.site.read_catalog)
        self._install(self._handed)
        if self.purger is not None:
            self.purger.start()
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._watch, name="newsroom-watch", daemon=True),
            threading.Thread(target=self._follow, name="newsroom-follow", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    async def stop(self) -> None:
        self._stop.set()
        self._news.set()
        self._end_streams()
        for thread in self._threads:
            await asyncio.to_thread(thread.join, 5)
        if self.purger is not None:
            await asyncio.to_thread(self.purger.stop)

    # In the threads.

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                self.site.reading.watch(self._stop, self._news)
            except Exception:  # a lost connection: watch again, the follower catches up meanwhile
                log.warning("watching the store failed; trying again", exc_info=True)
                self._stop.wait(RETRY_SECONDS)

    def _follow(self) -> None:
        while not self._stop.is_set():
            self._news.wait(SAFETY_SECONDS)
            self._news.clear()
            if self._stop.is_set():
                return
            try:
                self.step()
            except Exception:
                log.warning("catching up failed; trying again", exc_info=True)
                self._stop.wait(RETRY_SECONDS)

    def step(self) -> None:
        """One round: publish what is due, catch up, work out what moved, and hand it to the loop."""
        self.site.reading.publish_due()
        catalog = self.site.read_catalog()
        streamed = set(self.readers)
        changes = {}
        for slug, card in catalog.items():
            known = self._handed.get(slug)
            before = known.version if known is not None else 0
            if slug in streamed and card.status != "draft" and card.version > before:
                changes[slug] = self._changes_between(slug, before, card)
        self._handed = catalog
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._deliver, catalog, changes)

    def _changes_between(self, slug: str, before: int, card: StoryCard) -> list[Change]:
        changes: list[Change] = []
        cursor = before
        while cursor < card.version:
            answer = self.site.changes(slug, cursor, MAX_LIMIT, through=card.version, card=card)
            changes += answer.changes
            cursor = answer.version
        return changes
