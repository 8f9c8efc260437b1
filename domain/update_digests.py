"""The digests of one update's words, as their own small aggregate beside the story."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.blocks import Block
from domain.page import Update
from domain.update import QuoteDigests, body_digest, quote_digests, text_digest


class UpdateDigests(Aggregate):
    """Fingerprints of one update's title, body and quotes: what a revision or a quote correction
    is compared with ("would it change anything?", "is there a quote 2?").

    Kept apart from the `Story`, so that a command loads only the update it concerns however many
    the story has. Always saved in the same atomic write as the story event that changes it, and
    derived from those events, so it carries no hash chain: audits, projections and the page pass
    it over. Id: `uuid5(story_id, "update/N")`.
    """

    class Posted(Aggregate.Created):
        story_id: UUID
        number: int
        title: str
        body: str | None
        quotes: tuple[tuple[str, str], ...]
        """Each quote's (words, attribution) digests."""

    class Changed(Aggregate.Event):
        """The digests after a revision or a quote correction."""

        title: str
        body: str | None
        quotes: tuple[tuple[str, str], ...]

        def apply(self, update: UpdateDigests) -> None:
            update._set(self.title, self.body, self.quotes)

    def __init__(
        self, story_id: UUID, number: int, title: str, body: str | None, quotes: tuple[tuple[str, str], ...]
    ) -> None:
        self.story_id = story_id
        self.number = number
        self._set(title, body, quotes)

    @staticmethod
    def id_for(story_id: UUID, number: int) -> UUID:
        return uuid5(story_id, f"update/{number}")

    @classmethod
    def posted(
        cls, story_id: UUID, number: int, title: str, body: tuple[Block, ...], at: datetime
    ) -> UpdateDigests:
        return cls._started(story_id, number, title, body, at)

    @classmethod
    def adopted(cls, story_id: UUID, update: Update, at: datetime) -> UpdateDigests:
        """For an update posted before stories kept digests apart: made from its words as folded."""
        return cls._started(story_id, update.number, update.title, update.blocks, at)

    @classmethod
    def _started(
        cls, story_id: UUID, number: int, title: str, body: tuple[Block, ...], at: datetime
    ) -> UpdateDigests:
        return cls._create(
            cls.Posted,
            id=cls.id_for(story_id, number),
            story_id=story_id,
            number=number,
            title=text_digest(title),
            body=body_digest(body),
            quotes=tuple((q.text, q.attribution) for q in quote_digests(body)),
            timestamp=at,
        )

    def _set(self, title: str, body: str | None, quotes: Any) -> None:
        self.title = title
        self.body = body
        """None once a quote correction changed the body: a revision is then taken as a change."""
        self.quotes = tuple(QuoteDigests(text, attribution) for text, attribution in quotes)

    def has_title(self, title: str) -> bool:
        return text_digest(title) == self.title

    def has_body(self, body: tuple[Block, ...]) -> bool:
        return body_digest(body) == self.body

    def revised(self, title: str | None, body: tuple[Block, ...] | None, *, at: datetime) -> None:
        """Records the digests after a revision; None keeps a part, as in `Story.UpdateRevised`."""
        self._changed(
            self.title if title is None else text_digest(title),
            self.body if body is None else body_digest(body),
            self.quotes if body is None else quote_digests(body),
            at,
        )

    def quote_corrected(self, quote: int, text: str | None, attribution: str | None, *, at: datetime) -> None:
        """Records the digests after a correction of quote `quote` (1-based)."""
        quotes = list(self.quotes)
        quotes[quote - 1] = quotes[quote - 1].corrected(text, attribution)
        self._changed(self.title, None, tuple(quotes), at)

    def _changed(self, title: str, body: str | None, quotes: tuple[QuoteDigests, ...], at: datetime) -> None:
        pairs = tuple((q.text, q.attribution) for q in quotes)
        self.trigger_event(self.Changed, title=title, body=body, quotes=pairs, timestamp=at)
