"""The page: what readers see of a story. One typed shape, made by the fold of a story's events
(`domain/page_fold.py`) and by the live-page read model, and taken by every renderer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from domain.blocks import Block, Paragraph, Quote, quotes_in

REMOVED_TITLE = "This update was removed on legal grounds"
"""What readers see in place of a taken-down update's title; its public note is its one paragraph."""


@dataclass(frozen=True, slots=True)
class Correction:
    """A public correction note shown to readers under the update it concerns."""

    at: datetime
    quote: int
    note: str
    editor: str


@dataclass(frozen=True, slots=True)
class Update:
    """One numbered update as readers see it; replaced, never edited, when an event changes it."""

    number: int
    title: str
    byline: str | None
    blocks: tuple[Block, ...]
    posted_at: datetime
    revised_at: datetime | None = None
    key_event: bool = False
    corrections: tuple[Correction, ...] = ()

    def with_quote(self, quote: int, corrected: Callable[[Quote], Quote]) -> Update:
        """With quote `quote` (1-based) replaced by what `corrected` makes of it."""
        position, old = quotes_in(self.blocks)[quote - 1]
        blocks = list(self.blocks)
        blocks[position] = corrected(old)
        return replace(self, blocks=tuple(blocks))

    def erased(self, note: str | None = None) -> Update:
        """The update as it reads once taken down: its words gone, the public note (if this version
        knows it) in their place; its times, key-event mark and correction notes stay."""
        blocks = () if note is None else (Paragraph(note),)
        return replace(self, title=REMOVED_TITLE, byline=None, blocks=blocks)

    def quote(self, quote: int) -> Quote | None:
        """Quote `quote` (1-based), if the update has it."""
        quotes = quotes_in(self.blocks)
        return quotes[quote - 1][1] if 1 <= quote <= len(quotes) else None


@dataclass(frozen=True, slots=True)
class Header:
    """The top of a story's page: everything but its updates. `time_zone` is the zone readers are
    shown its times in; `published_at` when its coverage began (first published), `closed_at`
    when it ended (None unless the story is closed)."""

    slug: str
    headline: str
    standfirst: str | None
    status: str
    pinned: int | None
    time_zone: str = "UTC"
    published_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True, eq=False)
class Page:
    """A story's page at one version: the pinned update first, then the others newest first;
    retracted updates are not on it."""

    header: Header
    version: int
    updated_at: datetime
    updates: Sequence[Update]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Page):
            return NotImplemented
        return (self.header, self.version, self.updated_at, list(self.updates)) == (
            other.header,
            other.version,
            other.updated_at,
            list(other.updates),
        )

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def arranged(cls, header: Header, version: int, updated_at: datetime, shown: Iterable[Update]) -> Page:
        """The page of these updates (any order), in reading order."""
        newest_first = sorted(shown, key=lambda u: u.number, reverse=True)
        ordered = sorted(newest_first, key=lambda u: u.number != header.pinned)
        return cls(header, version, updated_at, ordered)

    @property
    def slug(self) -> str:
        return self.header.slug

    @property
    def headline(self) -> str:
        return self.header.headline

    @property
    def standfirst(self) -> str | None:
        return self.header.standfirst

    @property
    def status(self) -> str:
        return self.header.status

    @property
    def pinned(self) -> int | None:
        return self.header.pinned

    @property
    def key_events(self) -> list[Update]:
        """The key-events list: the updates marked as key events, newest first."""
        return sorted((u for u in self.updates if u.key_event), key=lambda u: u.number, reverse=True)

    def update(self, number: int) -> Update | None:
        """Update `number` as shown on this page, or None if it is not shown."""
        return next((u for u in self.updates if u.number == number), None)

    def is_pinned(self, update: Update) -> bool:
        return update.number == self.header.pinned
