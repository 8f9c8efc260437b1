"""The digests the rules compare an update's words with: fingerprints, never the words.

A sealed update's digests are keyed: a MAC (BLAKE2b in its keyed mode) under a key derived from
the key that seals its words, which the composition root gives (`keyed_digests`). A takedown
destroys that key, so the stored digests can no longer confirm a guess of the removed words
("was its title X?"). An update stored in clear (no key store) keeps plain digests: its words
are in the store anyway.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from uuid import UUID

from domain.blocks import Block, Quote, quotes_in

DigestKeys = Callable[[UUID, int], bytes]
"""The key update N of a story's digests are made with (story id, N): secret, and destroyed
with the update's words."""
_digest_keys: ContextVar[DigestKeys | None] = ContextVar("digest_keys", default=None)


@contextmanager
def keyed_digests(keys: DigestKeys | None) -> Iterator[None]:
    """While open, digests made for a new update are keyed by `keys` (None: plain), and keyed
    digests read back are compared under it; a context, as `chain.sealing` is, rather than an
    argument to every rule method."""
    token = _digest_keys.set(keys)
    try:
        yield
    finally:
        _digest_keys.reset(token)


def digest_keys() -> DigestKeys | None:
    """The digest keys open now (`keyed_digests`), if any."""
    return _digest_keys.get()


class DigestKeyMissing(Exception):
    """Keyed digests were compared with no digest keys open: a process without the key store."""

    def __init__(self, story_id: UUID, number: int) -> None:
        self.story_id, self.number = story_id, number
        super().__init__(
            f"the digests of update {number} of story {story_id} are keyed, and no key store is open"
        )


@dataclass(frozen=True)
class Digester:
    """Makes the digests of one update's words: keyed by the digest key of update `number` of
    story `story_id` (`keyed_digests`, asked at each digest, never kept), or plain (no story)."""

    story_id: UUID | None = None
    number: int = 0

    @classmethod
    def keyed(cls, story_id: UUID, number: int) -> Digester:
        return cls(story_id, number)

    @property
    def is_keyed(self) -> bool:
        return self.story_id is not None

    def _digest(self, data: bytes) -> str:
        # 8 bytes: digests only ever answer "would this change anything?".
        if self.story_id is None:
            return hashlib.blake2b(data, digest_size=8).hexdigest()
        keys = _digest_keys.get()
        if keys is None:
            raise DigestKeyMissing(self.story_id, self.number)
        return hashlib.blake2b(data, digest_size=8, key=keys(self.story_id, self.number)).hexdigest()

    def text(self, text: str) -> str:
        """A short fingerprint of a text: the rules compare fingerprints, never keep the words."""
        return self._digest(text.encode("utf-8"))

    def body(self, body: tuple[Block, ...]) -> str:
        """A short fingerprint of a body, enough to tell a revision that changes nothing.

        It hashes the blocks' repr (cheap, and stable for frozen dataclasses); were the repr ever
        to change, old digests would merely fail to match and an identical revision would be
        taken as a change.
        """
        return self._digest(repr(tuple(body)).encode("utf-8"))

    def quotes(self, body: tuple[Block, ...]) -> tuple[QuoteDigests, ...]:
        return tuple(QuoteDigests.of(quote, self) for _, quote in quotes_in(body))


PLAIN = Digester()
"""The digests of updates stored in clear, and of every update before digests were keyed."""


def text_digest(text: str) -> str:
    """The plain digest of a text (`PLAIN`)."""
    return PLAIN.text(text)


def body_digest(body: tuple[Block, ...]) -> str:
    """The plain digest of a body (`PLAIN`)."""
    return PLAIN.body(body)


@dataclass(frozen=True)
class QuoteDigests:
    """A quote as the rules know it: digests of its words and of its attribution ("" if none),
    made (and compared) by `digester`."""

    text: str
    attribution: str
    digester: Digester = field(default=PLAIN, compare=False, repr=False)

    @classmethod
    def of(cls, quote: Quote, digester: Digester = PLAIN) -> QuoteDigests:
        return cls(digester.text(quote.text), digester.text(quote.attribution or ""), digester)

    def has_text(self, text: str) -> bool:
        return self.digester.text(text) == self.text

    def has_attribution(self, attribution: str) -> bool:
        """Whether the quote is attributed so ("" for no attribution)."""
        return self.digester.text(attribution) == self.attribution

    def corrected(self, text: str | None, attribution: str | None) -> QuoteDigests:
        """After a correction; None keeps a part, as in `Story.QuoteCorrected`."""
        return QuoteDigests(
            self.text if text is None else self.digester.text(text),
            self.attribution if attribution is None else self.digester.text(attribution),
            self.digester,
        )


def quote_digests(body: tuple[Block, ...]) -> tuple[QuoteDigests, ...]:
    """The plain digests of a body's quotes (`PLAIN`)."""
    return PLAIN.quotes(body)
