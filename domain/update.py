"""An update in a story's stream: the facts the Story aggregate decides on, and the whole update
as the page shows it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from domain.blocks import Block, Quote, quotes_in

DIGEST_LENGTH = 16
"""Hex characters of every digest the Story keeps (8 bytes)."""
_NO_DIGEST = "-" * DIGEST_LENGTH


def _digest(data: bytes) -> str:
    # Cut from a 16-byte BLAKE2b, as Story snapshots of version 2 kept body digests whole.
    return hashlib.blake2b(data, digest_size=16).hexdigest()[:DIGEST_LENGTH]


def text_digest(text: str) -> str:
    """A short fingerprint of a text: the Story compares fingerprints, never keeps the words."""
    return _digest(text.encode("utf-8"))


def body_digest(body: tuple[Block, ...]) -> str:
    """A short fingerprint of a body, enough to tell a revision that changes nothing.

    It hashes the blocks' repr (cheap, and stable for frozen dataclasses); were the repr ever to
    change, old digests would merely fail to match and an identical revision would be taken as a
    change.
    """
    return _digest(repr(tuple(body)).encode("utf-8"))


@dataclass(frozen=True)
class QuoteFacts:
    """A quote as the Story knows it: fingerprints of its words and of its attribution."""

    text: str
    attribution: str

    @classmethod
    def of(cls, quote: Quote) -> QuoteFacts:
        return cls(text_digest(quote.text), text_digest(quote.attribution or ""))

    def has_text(self, text: str) -> bool:
        return text_digest(text) == self.text

    def has_attribution(self, attribution: str) -> bool:
        """Whether the quote is attributed so ("" for no attribution)."""
        return text_digest(attribution) == self.attribution


@dataclass(frozen=True)
class UpdateFacts:
    """What the Story aggregate keeps of an update: only what its rules decide on, as digests.

    No words are kept, so that loading a story (and its snapshot) costs little however long it
    grows; the page at any version is folded from the events instead (`domain/story_page.py`).
    """

    number: int
    title: str
    """The title's digest."""
    body: str | None
    """The body's digest; None once a quote correction changed the body (a revision is then taken
    as a change)."""
    quotes: tuple[QuoteFacts, ...]
    key_event: bool = False
    retracted: bool = False

    @classmethod
    def posted(cls, number: int, title: str, body: tuple[Block, ...], key_event: bool) -> UpdateFacts:
        return cls(number, text_digest(title), body_digest(body), quotes_of(body), key_event)

    def has_title(self, title: str) -> bool:
        return text_digest(title) == self.title

    def has_body(self, body: tuple[Block, ...]) -> bool:
        return body_digest(body) == self.body

    def revised(self, title: str | None, body: tuple[Block, ...] | None) -> UpdateFacts:
        """After a revision; None keeps a part, as in the event."""
        facts = self if title is None else replace(self, title=text_digest(title))
        return facts if body is None else replace(facts, body=body_digest(body), quotes=quotes_of(body))

    def with_quote(self, quote: int, text: str | None, attribution: str | None) -> UpdateFacts:
        """After a correction of quote `quote` (1-based); None keeps a part, as in the event."""
        quotes = list(self.quotes)
        old = quotes[quote - 1]
        quotes[quote - 1] = QuoteFacts(
            old.text if text is None else text_digest(text),
            old.attribution if attribution is None else text_digest(attribution),
        )
        return replace(self, quotes=tuple(quotes), body=None)

    def packed(self) -> str:
        """One line: flags, title and body digests, then each quote's two digests."""
        flags = str(int(self.key_event) + 2 * int(self.retracted))
        quotes = "".join(q.text + q.attribution for q in self.quotes)
        return f"{flags}{self.title}{self.body or _NO_DIGEST}{quotes}"

    @classmethod
    def unpacked(cls, number: int, line: str) -> UpdateFacts:
        n = DIGEST_LENGTH
        flags = int(line[0])
        body = line[1 + n : 1 + 2 * n]
        quotes = tuple(
            QuoteFacts(line[i : i + n], line[i + n : i + 2 * n]) for i in range(1 + 2 * n, len(line), 2 * n)
        )
        return cls(
            number,
            line[1 : 1 + n],
            None if body == _NO_DIGEST else body,
            quotes,
            bool(flags & 1),
            bool(flags & 2),
        )


Posted = Callable[[], UpdateFacts]


class UpdateLedger:
    """A story's `UpdateFacts` by number, stored in snapshots as one packed text.

    A post only appends, and a command looks at one or two updates of a story that may have
    thousands: the snapshot's text is split into lines only when an update in it is looked at,
    a line becomes `UpdateFacts` only when looked at, and a replayed post computes its digests
    only when looked at or packed. Loading a long story so decodes one string, not a row per update.
    """

    def __init__(self, packed: str = "", count: int = 0) -> None:
        self._packed = packed
        self._packed_count = count
        self._head: list[str | UpdateFacts] | None = None if count else []
        self._tail: list[UpdateFacts | Posted] = []

    @classmethod
    def of(cls, facts: Iterable[UpdateFacts]) -> UpdateLedger:
        ledger = cls()
        for item in facts:
            ledger.append(item)
        return ledger

    def __len__(self) -> int:
        return self._packed_count + len(self._tail)

    def __iter__(self) -> Iterator[UpdateFacts]:
        return (self[index] for index in range(len(self)))

    def __getitem__(self, index: int) -> UpdateFacts:
        if index < self._packed_count:
            head = self._split()
            item = head[index]
            if isinstance(item, str):
                item = head[index] = UpdateFacts.unpacked(index + 1, item)
            return item
        item = self._tail[index - self._packed_count]
        if not isinstance(item, UpdateFacts):
            item = self._tail[index - self._packed_count] = item()
        return item

    def __setitem__(self, index: int, facts: UpdateFacts) -> None:
        if index < self._packed_count:
            self._split()[index] = facts
        else:
            self._tail[index - self._packed_count] = facts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UpdateLedger) and self.packed() == other.packed()

    def append(self, facts: UpdateFacts | Posted) -> None:
        """Adds the next update's facts, or a function that works them out when first needed."""
        self._tail.append(facts)

    def packed(self) -> str:
        """Every update's `UpdateFacts.packed()` line, joined by newlines."""
        lines = [self[index].packed() for index in range(self._packed_count, len(self))]
        if self._head is None:
            lines.insert(0, self._packed)
        else:
            lines[:0] = [item if isinstance(item, str) else item.packed() for item in self._head]
        return "\n".join(lines)

    def _split(self) -> list[str | UpdateFacts]:
        if self._head is None:
            self._head = list(self._packed.split("\n"))
        return self._head


def quotes_of(body: tuple[Block, ...]) -> tuple[QuoteFacts, ...]:
    return tuple(QuoteFacts.of(quote) for _, quote in quotes_in(body))


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

    def with_quote(self, quote: int, corrected: Callable[[Quote], Quote]) -> Update:
        """With quote `quote` (1-based) replaced by what `corrected` makes of it."""
        position, old = quotes_in(self.body)[quote - 1]
        body = list(self.body)
        body[position] = corrected(old)
        return replace(self, body=tuple(body))
