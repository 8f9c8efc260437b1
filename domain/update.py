"""An update in a story's stream, as the Story aggregate holds it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from domain.blocks import Block, Quote, quotes_in


@dataclass(frozen=True)
class Correction:
    """A public correction note shown to readers under the update it concerns."""

    at: datetime
    quote: int
    note: str
    editor: str


@dataclass(frozen=True)
class Update:
    """One numbered update; replaced, never edited, when an event changes it."""

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

    def quote_count(self) -> int:
        return len(quotes_in(self.body))

    def quote(self, quote: int) -> Quote:
        """The 1-based `quote`th quote of the body."""
        return quotes_in(self.body)[quote - 1][1]

    def with_quote(self, quote: int, text: str, attribution: str | None) -> Update:
        position = quotes_in(self.body)[quote - 1][0]
        body = list(self.body)
        body[position] = Quote(text, attribution)
        return replace(self, body=tuple(body))
