"""Telling the cache in front of the readers' web (Varnish, a CDN's purge endpoint) what each
event made stale, once this server shows it: one `BAN` request naming the tags to drop
(`Surrogate-Key: story/syria/head stories ...`, the tags `cache_policy` gives each answer).

What an event makes stale is its meaning's (`Meaning.stale`): the story's head, the list and the
update it names; for a takedown every answer of the story; an erasure, every answer of every
story. A purge is sent after the server installs the catalog that shows the event (so the cache's
next fetch gets the new answer), retried until the cache takes it, and only then recorded
(`purge_positions.py`), so a purge the cache missed, down or restarting, is sent again, after a
restart of this server too.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from domain.meanings import MEANINGS_BY_NAME
from infrastructure.web.cache_policy import EVERYTHING, forgets_words, stale_tags
from infrastructure.web.purge_positions import ERASURES, PurgePositions, story_row
from infrastructure.web.reading import StoryCard, StoryEvent

log = logging.getLogger("newsroom.web")

RETRY_SECONDS = 1.0
"""How long to wait before sending again a purge the cache did not take."""
SEND_TIMEOUT = 5.0
AGAIN_SECONDS = 1.0
"""A takedown's or an erasure's purge is sent again this long after (see `_send_again_if_due`)."""
SAY_FAILURES_EVERY = 30.0
"""Seconds between two log lines saying the cache did not take a purge."""

Send = Callable[[set[str]], None]
"""Sends one purge of these tags; raises if the cache did not take it."""
Events = Callable[[str, int], list[StoryEvent]]
"""A story's events up to a version (`Site.events`)."""


class BadPurgeUrl(ValueError):
    pass


def purge_url(value: str) -> str:
    """`value` if it is an http(s) URL with a host, the cache's purge endpoint."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadPurgeUrl(
            "--cache-purge must be an http or https URL with a host, like http://127.0.0.1:6081/;"
            f" got {value!r}"
        )
    return value


def ban_sender(url: str) -> Send:
    """Sends `BAN url` with the tags in `Surrogate-Key` (as `deploy/varnish/newsroom.vcl` takes it)."""

    def send(tags: set[str]) -> None:
        request = urllib.request.Request(url, method="BAN", headers={"Surrogate-Key": " ".join(sorted(tags))})
        with urllib.request.urlopen(request, timeout=SEND_TIMEOUT) as answer:  # noqa: S310 (http(s) only)
            answer.read(4096)

    return send


class Purger:
    """Purges what each event made stale from one cache, from a thread of its own."""

    def __init__(
        self,
        positions: PurgePositions,
        events: Events,
        send: Send,
        *,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.positions = positions
        self.events = events
        self.send = send
        self.retry_seconds = retry_seconds
        self._shown: tuple[dict[str, StoryCard], int] | None = None
        self._done: dict[str, int] | None = None
        self._again: tuple[float, set[str]] | None = None
        """When to send a takedown's or an erasure's tags again, and which."""
        """How far this server purged: read from the positions kept, then its own."""
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def shown(self, catalog: dict[str, StoryCard], erasures: int | None) -> None:
        """What the server shows readers from now on (called once it is installed)."""
        self._shown = (catalog, erasures or 0)
        self._wake.set()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="newsroom-purge", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(SEND_TIMEOUT + 1)

    def _run(self) -> None:
        said = float("-inf")
        while not self._stop.is_set():
            self._wake.wait(self._until_again())
            self._wake.clear()
            while not self._stop.is_set():
                try:
                    self._send_again_if_due()
                    self.purge()
                    break
                except Exception as error:
                    # Said now and then, not every second while the cache is away.
                    if time.monotonic() - said >= SAY_FAILURES_EVERY:
                        said = time.monotonic()
                        log.warning(
                            "purging the cache failed (%s); trying again every %ss", error, self.retry_seconds
                        )
                    self._stop.wait(self.retry_seconds)

    def purge(self) -> None:
        """Sends one purge of everything shown since the last that succeeded, then records it.
        This server's own positions start from those kept; another server purging the same cache
        does not move them, since each must purge once it shows the event (a cache may have
        fetched from this one before it did)."""
        if self._shown is None:
            return
        catalog, erasures = self._shown
        if self._done is None:
            self._done = self.positions.read()
        done = self._done
        reached = {story_row(slug): card.version for slug, card in catalog.items()}
        reached[ERASURES] = erasures
        if done is None:
            tags, again = {EVERYTHING}, set()  # never purged: the cache may hold anything
        elif erasures > done.get(ERASURES, 0):
            tags = again = {EVERYTHING}  # a name erased may be anywhere
        else:
            tags = set()
            for slug, card in catalog.items():
                tags |= self._stale(slug, done.get(story_row(slug), 0), card.version)
            again = {tag for tag in tags if forgets_words(tag)}
        if tags:
            self.send(tags)
        if again:
            self._again = (time.monotonic() + AGAIN_SECONDS, again | (self._again or (0.0, set()))[1])
        moved = {
            name: position
            for name, position in reached.items()
            if done is None or position > done.get(name, 0)
        }
        if moved:
            self.positions.advance(moved)
        self._done = {**(done or {}), **moved}

    def _until_again(self) -> float | None:
        return None if self._again is None else max(0.0, self._again[0] - time.monotonic())

    def _send_again_if_due(self) -> None:
        """A takedown's or an erasure's purge once more: a fetch the cache began before the
        server forgot the words may have brought them back after the first."""
        if self._again is not None and self._again[0] <= time.monotonic():
            self.send(self._again[1])
            self._again = None

    def _stale(self, slug: str, after: int, through: int) -> set[str]:
        if through <= after:
            return set()
        tags: set[str] = set()
        for event in self.events(slug, through):
            meaning = MEANINGS_BY_NAME.get(event.event_type)
            if event.version > after and meaning is not None:
                tags |= stale_tags(slug, meaning.stale(event.update))
        return tags
