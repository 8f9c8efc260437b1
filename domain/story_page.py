"""The page a story's events add up to: everything readers see, at any version.

The Story aggregate keeps only what its rules decide on; this fold keeps the rest (bodies, bylines,
times, correction notes). Time travel and the audit's replay fold the events up to a version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.story import CLOSED, DRAFT, LIVE, Story
from domain.update import Correction, Update


class StoryPage:
    """A story as readers see it, folded event by event."""

    def __init__(self) -> None:
        self.slug = ""
        self.headline = ""
        self.standfirst: str | None = None
        self.status = DRAFT
        self.version = 0
        self.updated_at: datetime | None = None
        self.updates: list[Update] = []
        self.pinned: int | None = None

    @classmethod
    def fold(cls, events: Iterable[Story.Event]) -> StoryPage:
        page = cls()
        for event in events:
            page.apply(event)
        return page

    def apply(self, event: Story.Event) -> None:
        """Applies the story's next event; raises ValueError for one out of sequence."""
        if event.originator_version != self.version + 1:
            msg = f"version {event.originator_version} does not follow version {self.version}"
            raise ValueError(msg)
        _APPLY[type(event)](self, event)
        self.version = event.originator_version
        self.updated_at = event.timestamp

    def _replace(self, number: int, **changes: Any) -> None:
        self.updates[number - 1] = replace(self.updates[number - 1], **changes)


def _opened(page: StoryPage, event: Any) -> None:
    page.slug, page.headline, page.standfirst = event.slug, event.headline, event.standfirst


def _headline_changed(page: StoryPage, event: Any) -> None:
    page.headline = event.headline


def _standfirst_changed(page: StoryPage, event: Any) -> None:
    page.standfirst = event.standfirst


def _status(status: str) -> Callable[[StoryPage, Any], None]:
    def apply(page: StoryPage, _event: Any) -> None:
        page.status = status

    return apply


def _update_posted(page: StoryPage, event: Any) -> None:
    page.updates.append(
        Update(
            number=event.number,
            title=event.title,
            byline=event.byline,
            body=tuple(event.body),
            posted_at=event.timestamp,
            key_event=event.key_event,
        )
    )


def _update_revised(page: StoryPage, event: Any) -> None:
    update = page.updates[event.number - 1]
    title = update.title if event.title is None else event.title
    body = update.body if event.body is None else tuple(event.body)
    page._replace(event.number, title=title, body=body, revised_at=event.timestamp)


def _quote_corrected(page: StoryPage, event: Any) -> None:
    update = page.updates[event.number - 1].with_quote(event.quote, event.corrected)
    correction = Correction(event.timestamp, event.quote, event.note, event.editor)
    page._replace(event.number, body=update.body, corrections=(*update.corrections, correction))


def _update_retracted(page: StoryPage, event: Any) -> None:
    page._replace(event.number, retracted=True, retraction_reason=event.reason)


def _pinned(page: StoryPage, event: Any) -> None:
    page.pinned = event.number


def _unpinned(page: StoryPage, _event: Any) -> None:
    page.pinned = None


def _key_event(key_event: bool) -> Callable[[StoryPage, Any], None]:
    def apply(page: StoryPage, event: Any) -> None:
        page._replace(event.number, key_event=key_event)

    return apply


_APPLY: dict[type, Callable[[StoryPage, Any], None]] = {
    Story.Opened: _opened,
    Story.HeadlineChanged: _headline_changed,
    Story.StandfirstChanged: _standfirst_changed,
    Story.Published: _status(LIVE),
    Story.Closed: _status(CLOSED),
    Story.Reopened: _status(LIVE),
    Story.UpdatePosted: _update_posted,
    Story.UpdateRevised: _update_revised,
    Story.QuoteCorrected: _quote_corrected,
    Story.UpdateRetracted: _update_retracted,
    Story.UpdatePinned: _pinned,
    Story.UpdateUnpinned: _unpinned,
    Story.KeyEventMarked: _key_event(True),
    Story.KeyEventUnmarked: _key_event(False),
}
assert set(_APPLY) == set(Story.EVENT_CLASSES), "every story event must change the page or say why not"
