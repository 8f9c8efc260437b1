"""The digests the rules compare an update's words with: fingerprints, never the words."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from domain.blocks import Block, Quote, quotes_in


def _digest(data: bytes) -> str:
    # 8 bytes of BLAKE2b: digests only ever answer "would this change anything?".
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def text_digest(text: str) -> str:
    """A short fingerprint of a text: the rules compare fingerprints, never keep the words."""
    return _digest(text.encode("utf-8"))


def body_digest(body: tuple[Block, ...]) -> str:
    """A short fingerprint of a body, enough to tell a revision that changes nothing.

    It hashes the blocks' repr (cheap, and stable for frozen dataclasses); were the repr ever to
    change, old digests would merely fail to match and an identical revision would be taken as a
    change.
    """
    return _digest(repr(tuple(body)).encode("utf-8"))


@dataclass(frozen=True)
class QuoteDigests:
    """A quote as the rules know it: digests of its words and of its attribution ("" if none)."""

    text: str
    attribution: str

    @classmethod
    def of(cls, quote: Quote) -> QuoteDigests:
        return cls(text_digest(quote.text), text_digest(quote.attribution or ""))

    def has_text(self, text: str) -> bool:
        return text_digest(text) == self.text

    def has_attribution(self, attribution: str) -> bool:
        """Whether the quote is attributed so ("" for no attribution)."""
        return text_digest(attribution) == self.attribution

    def corrected(self, text: str | None, attribution: str | None) -> QuoteDigests:
        """After a correction; None keeps a part, as in `Story.QuoteCorrected`."""
        return QuoteDigests(
            self.text if text is None else text_digest(text),
            self.attribution if attribution is None else text_digest(attribution),
        )


def quote_digests(body: tuple[Block, ...]) -> tuple[QuoteDigests, ...]:
    return tuple(QuoteDigests.of(quote) for _, quote in quotes_in(body))
