"""The page a story's events add up to, folded event by event with each event's meaning.

The Story aggregate keeps only what its rules decide on; this fold keeps everything readers see.
It is the domain's answer to "what did the page show at version N": time travel's oracle, the
audit's replay and the history's before/after are all told by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.meaning import Seen, Told
from domain.meanings import meaning_of
from domain.page import Header, Page, Update
from domain.story import DRAFT, Story


class PageFold:
    """A story's page, folded from its events in order."""

    def __init__(self) -> None:
        self.header = Header("", "", None, DRAFT, None)
        self.version = 0
        self.updated_at: datetime | None = None
        self.shown: dict[int, Update] = {}
        self.retracted: dict[int, Update] = {}
        """Retracted updates as they last stood: off the page, and never changed again."""

    @classmethod
    def of(cls, events: Iterable[Story.Event]) -> PageFold:
        fold = cls()
        for event in events:
            fold.apply(event)
        return fold

    # The page state an event's meaning changes (`domain.meaning.PageState`).

    def update(self, number: int) -> Update | None:
        return self.shown.get(number)

    def show(self, update: Update) -> None:
        self.shown[update.number] = update

    def hide(self, number: int) -> None:
        update = self.shown.pop(number, None)
        if update is not None:
            self.retracted[number] = update

    def erase(self, number: int) -> None:
        # Read back without their key, the update's earlier events already gave no words.
        return None

    # Folding.

    def apply(self, event: Story.Event) -> None:
        """Applies the story's next event; raises ValueError for one out of sequence."""
        if event.originator_version != self.version + 1:
            msg = f"version {event.originator_version} does not follow version {self.version}"
            raise ValueError(msg)
        self._fold(event)

    def tell(self, event: Story.Event) -> Told:
        """Applies the event and tells what it changed, as the history does. The events told
        may be one update's alone (with the story's Opened event): versions may be skipped."""
        before = self._seen(event)
        self._fold(event)
        return meaning_of(event).told(event, before, self._seen(event))

    def _fold(self, event: Story.Event) -> None:
        meaning_of(event).apply(self, event)
        self.version = event.originator_version
        self.updated_at = event.timestamp

    def _seen(self, event: Story.Event) -> Seen:
        number = getattr(event, "number", None)
        return Seen(self.header, None if number is None else self.shown.get(number))

    def page(self) -> Page:
        """The page as it stands after the events folded so far."""
        assert self.updated_at is not None, "a page is folded from at least the Opened event"
        return Page.arranged(self.header, self.version, self.updated_at, self.shown.values())

    def any_update(self, number: int) -> Update | None:
        """Update `number` as it last stood, retracted or not."""
        return self.shown.get(number) or self.retracted.get(number)
