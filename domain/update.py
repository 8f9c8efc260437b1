"""An update in a story's stream: the facts the Story aggregate decides on, and the whole update
as the page shows it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from domain.blocks import Block, Quote, quotes_in


def body_digest(body: tuple[Block, ...]) -> str:
    """A short fingerprint of a body, enough to tell a revision that changes nothing.

    Computed for every post replayed, so it hashes the blocks' repr (cheap, and stable for
    frozen dataclasses); were the repr ever to change, old digests would merely fail to match
    and an identical revision would be taken as a change.
    """
    return hashlib.blake2b(repr(tuple(body)).encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class UpdateFacts:
    """What the Story aggregate keeps of an update: only what its rules decide on.

    Bodies stay out, so that loading a story (and its snapshot) costs little however long it
    grows; the page at any version is folded from the events instead (`domain/story_page.py`).
    """

    number: int
    title: str
    body_digest: str | None
    """None once a quote correction changed the body: a revision is then taken as a change."""
    quotes: tuple[Quote, ...]
    key_event: bool = False
    retracted: bool = False

    @classmethod
    def posted(cls, number: int, title: str, body: tuple[Block, ...], key_event: bool) -> UpdateFacts:
        return cls(number, title, body_digest(body), quotes_of(body), key_event)

    def revised(self, title: str, body: tuple[Block, ...] | None) -> UpdateFacts:
        if body is None:
            return replace(self, title=title)
        return replace(self, title=title, body_digest=body_digest(body), quotes=quotes_of(body))

    def with_quote(self, quote: int, text: str, attribution: str | None) -> UpdateFacts:
        quotes = list(self.quotes)
        quotes[quote - 1] = Quote(text, attribution)
        return replace(self, quotes=tuple(quotes), body_digest=None)


class UpdateLedger:
    """A story's `UpdateFacts` by number, kept as compact rows in snapshots.

    A command looks at one or two updates of a story that may have thousands: a row becomes
    `UpdateFacts` only when it is looked at, so loading a long story decodes no objects per update.
    """

    def __init__(self, rows: list[Any] | None = None) -> None:
        self._items: list[UpdateFacts | list[Any]] = list(rows or [])

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[UpdateFacts]:
        return (self[index] for index in range(len(self._items)))

    def __getitem__(self, index: int) -> UpdateFacts:
        item = self._items[index]
        if not isinstance(item, UpdateFacts):
            number, title, digest, quotes, key_event, retracted = item
            item = UpdateFacts(number, title, digest, tuple(Quote(*q) for q in quotes), key_event, retracted)
            self._items[index] = item
        return item

    def __setitem__(self, index: int, facts: UpdateFacts) -> None:
        self._items[index] = facts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UpdateLedger) and self.rows() == other.rows()

    def append(self, facts: UpdateFacts) -> None:
        self._items.append(facts)

    def rows(self) -> list[list[Any]]:
        """Every update as `[number, title, digest, [[text, attribution], ...], key_event, retracted]`."""
        return [_row(item) if isinstance(item, UpdateFacts) else item for item in self._items]


def _row(facts: UpdateFacts) -> list[Any]:
    quotes = [[q.text, q.attribution] for q in facts.quotes]
    return [facts.number, facts.title, facts.body_digest, quotes, facts.key_event, facts.retracted]


def quotes_of(body: tuple[Block, ...]) -> tuple[Quote, ...]:
    return tuple(quote for _, quote in quotes_in(body))


@dataclass(frozen=True)
class Correction:
    """A public correction note shown to readers under the update it concerns."""

    at: datetime
    quote: int
    note: str
    editor: str


@dataclass(frozen=True)
class Update:
    """One numbered update as the page shows it; replaced, never edited, when an event changes it."""

    number: int
    title: str
    byline: str | None
    body: tuple[Block, ...]
    posted_at: datetime
    key_event: bool = False
    retracted: bool = False
    retraction_reason: str | None = None
    revised_at: datetime | None = None
    corrections: tuple[Correction, ...] = ()

    def with_quote(self, quote: int, text: str, attribution: str | None) -> Update:
        position = quotes_in(self.body)[quote - 1][0]
        body = list(self.body)
        body[position] = Quote(text, attribution)
        return replace(self, body=tuple(body))
