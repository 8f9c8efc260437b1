"""The readers' web's state in one process: which stories readers may see and at what version,
and what has already been read or rendered for a version (a version changes only by a takedown or
an erasure, so whatever was made for it is kept, up to a bound, until one is recorded: then all
of it is dropped before the new catalog is installed, `Site.purge`).

The catalog (each story's status and version) is refreshed by the broadcaster after it catches
the read models up; requests consult it before any database read, so a draft or unknown story
costs nothing and a revalidation (`If-None-Match`) is answered from memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Generic, TypeVar

from domain.page import Page
from infrastructure.web.changes import Change, change_of
from infrastructure.web.reading import PageMissing, Reading, StoryCard, StoryEvent

if TYPE_CHECKING:
    from infrastructure.projections.page_window import PageWindow, UpdatePage

K = TypeVar("K")
V = TypeVar("V")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class BadCursor(ValueError):
    """An `after` that is not a version of the story readers have (negative, or in its future)."""


class Generation:
    """How many times a site's caches were purged: a value made from what was read under an
    older generation is not kept (it may hold what the purge was for)."""

    def __init__(self) -> None:
        self.value = 0

    def advance(self) -> None:
        self.value += 1  # under the GIL one assignment; readers see the old value or the new


class Lru(Generic[K, V]):
    """A small thread-safe least-recently-used map, emptied by `purge`; a value made while a
    purge happened is handed back but not kept, and is made again once if it can be."""

    def __init__(self, size: int, generation: Generation | None = None) -> None:
        self.size = size
        self.generation = generation or Generation()
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: K) -> V | None:
        """The value kept for `key`, or None (without making it)."""
        with self._lock:
            return self._items.get(key)

    def get(self, key: K, make: Callable[[], V], *, since: int | None = None) -> V:
        """The value kept for `key`, else made and kept; `since`, the generation the caller's
        request began under (now by default), if what it already read may feed `make`."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            began = self.generation.value if since is None else since
        value = make()
        if self.generation.value != began and since is None:
            began = self.generation.value  # read again: the first read may predate the purge
            value = make()
        with self._lock:
            if self.generation.value == began:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value

    def purge(self) -> None:
        """Drops everything kept (the caller advances the generation first)."""
        with self._lock:
            self._items.clear()


@dataclass(frozen=True)
class ChangesAnswer:
    """A page of the changes feed: the changes after a version, and the cursor to go on from."""

    slug: str
    version: int
    changes: list[Change]
    has_more: bool


class Site:
    """What readers may see, and the pages, events and renderings already made for it."""

    def __init__(self, reading: Reading, *, cache_size: int = 512) -> None:
        self.reading = reading
        self.catalog: dict[str, StoryCard] = {}
        self.generation = Generation()
        self._pages: Lru[tuple[str, int], Page] = Lru(cache_size, self.generation)
        self._events: Lru[tuple[str, int], list[StoryEvent]] = Lru(cache_size, self.generation)
        self._windows: Lru[tuple[str, int, int, int | None], PageWindow] = Lru(cache_size, self.generation)
        self._update_pages: Lru[tuple[str, int, int], UpdatePage] = Lru(cache_size, self.generation)
        self._changes: Lru[tuple[str, int], Change | None] = Lru(cache_size * 8, self.generation)
        self.rendered: Lru[tuple[object, ...], bytes] = Lru(cache_size, self.generation)
        self._forgotten = 0
        """The takedowns and erasures seen when the caches were last purged."""
        self.erasures: int | None = None
        """How many people were erased in the store: in every answer's ETag, so that a browser
        revalidating an answer that held a name now erased is not told it is still good."""

    # Keeping current.

    def read_catalog(self) -> dict[str, StoryCard]:
        """Catches the read models up and reads every story's status and version (blocking);
        first, if a takedown or an erasure was recorded since the last time, drops everything
        made (`purge`)."""
        self.reading.catch_up()
        forgotten = self.reading.forgotten()
        if forgotten != self._forgotten or self.erasures is None:
            self._forgotten = forgotten
            self.erasures = self.reading.erasures()
            self.purge()
        return {card.slug: card for card in self.reading.stories()}

    def purge(self) -> None:
        """Drops every page, event list, change and rendering made: a takedown's words or an
        erased name may be in any of them. All stories at once, for a takedown too: takedowns
        are rare, an erased name can be on any story, and the index holds every story's page."""
        self.generation.advance()
        caches = (self._pages, self._windows, self._update_pages, self._events, self._changes, self.rendered)
        for cache in caches:
            cache.purge()

    def install(self, catalog: dict[str, StoryCard]) -> dict[str, tuple[int, int]]:
        """Makes `catalog` the one requests see; returns each published story that moved, with
        its version before (0 if readers could not see it) and now."""
        moved = {}
        for slug, card in catalog.items():
            before = self.catalog.get(slug)
            was = before.version if before is not None and before.status != "draft" else 0
            if card.status != "draft" and card.version != was:
                moved[slug] = (was, card.version)
        self.catalog = catalog
        return moved

    def refresh(self) -> dict[str, tuple[int, int]]:
        return self.install(self.read_catalog())

    # Reading.

    def visible(self, slug: str) -> StoryCard:
        """The story's card, if readers may see it."""
        card = self.catalog.get(slug)
        if card is None or card.status == "draft":
            raise PageMissing(f"no story {slug!r}")
        return card

    def visible_cards(self) -> list[StoryCard]:
        return [card for card in self.catalog.values() if card.status != "draft"]

    def page(self, slug: str, version: int | None = None) -> Page:
        """The page at the catalog's version (or at `version`), as readers may see it."""
        card = self.visible(slug)
        wanted = card.version if version is None else version
        if not 1 <= wanted <= card.version:
            raise PageMissing(f"story {slug!r} has no version {wanted}")
        page = self._pages.get((slug, wanted), lambda: self._read_page(slug, wanted, card.version))
        if page.status == "draft":
            raise PageMissing(f"story {slug!r} was not published at version {wanted}")
        return page

    def window(
        self, slug: str, size: int, before: int | None = None, version: int | None = None
    ) -> PageWindow:
        """One page of the story at the catalog's version (or at `version`): `size` updates below
        `before` (None: the newest page), as readers may see it."""
        card = self.visible(slug)
        wanted = card.version if version is None else version
        if not 1 <= wanted <= card.version:
            raise PageMissing(f"story {slug!r} has no version {wanted}")
        window = self._windows.get(
            (slug, wanted, size, before), lambda: self.reading.page_window(slug, size, before, wanted)
        )
        if window.page.status == "draft":
            raise PageMissing(f"story {slug!r} was not published at version {wanted}")
        return window

    def update_page(self, slug: str, number: int) -> UpdatePage:
        """Update `number`'s own page at the catalog's version (the story's header and the update
        as readers see it now)."""
        card = self.visible(slug)
        # Read now: the read model may be ahead of the catalog, never behind it.
        key = (slug, card.version, number)
        return self._update_pages.get(key, lambda: self.reading.update_page(slug, number))

    def _read_page(self, slug: str, version: int, latest: int) -> Page:
        page = self.reading.page(slug) if version == latest else None
        if page is None or page.version != version:
            page = self.reading.page_at(slug, version)
        return page

    def version_at(self, slug: str, moment: object) -> int:
        self.visible(slug)
        return self.reading.version_at(slug, moment)  # type: ignore[arg-type]

    def events(self, slug: str, through: int) -> list[StoryEvent]:
        """The story's events up to version `through`, oldest first."""
        events = self._events.get((slug, through), lambda: self.reading.events_after(slug, 0))
        return [e for e in events if e.version <= through]

    def changes(
        self,
        slug: str,
        after: int,
        limit: int = DEFAULT_LIMIT,
        *,
        through: int | None = None,
        card: StoryCard | None = None,
    ) -> ChangesAnswer:
        """Up to `limit` changes after version `after`, oldest first, up to `through` (the
        story's version in the catalog, or on `card`, by default)."""
        card = card or self.visible(slug)
        last = card.version if through is None else through
        if not 0 <= after <= card.version:
            raise BadCursor(f"after must be a version of {slug!r} from 0 to {card.version}; got {after}")
        pending = [e for e in self.events(slug, last) if e.version > after]
        changes: list[Change] = []
        cursor = after
        for event in pending:
            if len(changes) == limit:
                break
            change = self._changes.get((slug, event.version), partial(self._change, slug, event))
            if change is not None:
                changes.append(change)
            cursor = event.version
        has_more = cursor < last
        return ChangesAnswer(slug, cursor, changes, has_more)

    def _change(self, slug: str, event: StoryEvent) -> Change | None:
        from infrastructure.web.changes import kind_of

        if kind_of(event) is None:
            return None
        return change_of(event, self.page_any(slug, event.version))

    def page_any(self, slug: str, version: int) -> Page:
        """The page at a version whatever its status (a change made while a story was a draft)."""
        return self._pages.get((slug, version), lambda: self._read_page(slug, version, -1))
