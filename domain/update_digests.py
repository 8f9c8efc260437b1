"""The digests of one update's words, as their own small aggregate beside the story."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.blocks import Block
from domain.page import Update
from domain.update import PLAIN, Digester, QuoteDigests, digest_keys


class UpdateDigests(Aggregate):
    """Fingerprints of one update's title, body and quotes: what a revision or a quote correction
    is compared with ("would it change anything?", "is there a quote 2?").

    Kept apart from the `Story`, so that a command loads only the update it concerns however many
    the story has. Always saved in the same atomic write as the story event that changes it, and
    derived from those events, so it carries no hash chain: audits, projections and the page pass
    it over. Id: `uuid5(story_id, "update/N")`.

    Made while digest keys are open (`domain.update.keyed_digests`: a store with keys, whose
    updates are sealed) the digests are keyed, and stay so for the update's life: once a takedown
    destroys the update's key, no stored digest confirms a guess of its words.
    """

    class Posted(Aggregate.Created):
        """Version 2 adds `keyed` (version 1's digests were all plain)."""

        class_version = 2
        story_id: UUID
        number: int
        title: str
        body: str | None
        quotes: tuple[tuple[str, str], ...]
        """Each quote's (words, attribution) digests."""
        keyed: bool
        """Whether the digests, of this event and of every `Changed` after it, are keyed."""

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["keyed"] = False

    class Changed(Aggregate.Event):
        """The digests after a revision or a quote correction, made as the `Posted` ones were."""

        title: str
        body: str | None
        quotes: tuple[tuple[str, str], ...]

        def apply(self, update: UpdateDigests) -> None:
            update._set(self.title, self.body, self.quotes)

    def __init__(
        self,
        story_id: UUID,
        number: int,
        title: str,
        body: str | None,
        quotes: tuple[tuple[str, str], ...],
        keyed: bool,
    ) -> None:
        self.story_id = story_id
        self.number = number
        self.keyed = keyed
        self._set(title, body, quotes)

    @property
    def digester(self) -> Digester:
        """What makes and compares this update's digests (a keyed one asks for its key each time)."""
        return Digester.keyed(self.story_id, self.number) if self.keyed else PLAIN

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
        keyed = digest_keys() is not None
        digester = Digester.keyed(story_id, number) if keyed else PLAIN
        return cls._create(
            cls.Posted,
            id=cls.id_for(story_id, number),
            story_id=story_id,
            number=number,
            title=digester.text(title),
            body=digester.body(body),
            quotes=tuple((q.text, q.attribution) for q in digester.quotes(body)),
            keyed=keyed,
            timestamp=at,
        )

    def _set(self, title: str, body: str | None, quotes: Any) -> None:
        self.title = title
        self.body = body
        """None once a quote correction changed the body: a revision is then taken as a change."""
        digester = self.digester
        self.quotes = tuple(QuoteDigests(text, attribution, digester) for text, attribution in quotes)

    def has_title(self, title: str) -> bool:
        return self.digester.text(title) == self.title

    def has_body(self, body: tuple[Block, ...]) -> bool:
        return self.digester.body(body) == self.body

    def revised(self, title: str | None, body: tuple[Block, ...] | None, *, at: datetime) -> None:
        """Records the digests after a revision; None keeps a part, as in `Story.UpdateRevised`."""
        digester = self.digester
        self._changed(
            self.title if title is None else digester.text(title),
            self.body if body is None else digester.body(body),
            self.quotes if body is None else digester.quotes(body),
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
