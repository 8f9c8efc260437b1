"""The story's own events: opened, its headline, standfirst and time zone, and its status
(published, closed, reopened), with what each means and the commands that record them."""

from __future__ import annotations

from dataclasses import field, replace
from datetime import datetime
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from domain import rules
from domain.errors import NothingToChange, WrongStatus
from domain.meaning import Meaning, PageState, Seen, Told
from domain.page import Header
from domain.schedule import as_scheduled
from domain.story_event import StoryEvent
from domain.story_state import CLOSED, DRAFT, LIVE, StoryState


class _Opened(Meaning):
    def apply(self, page: PageState, event: Any) -> None:
        page.header = Header(event.slug, event.headline, event.standfirst, DRAFT, None)

    def label(self, event: Any) -> str:
        return "Story opened"

    def summary(self, event: Any) -> str:
        return f"Story opened as a draft: {event.headline!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"headline": event.headline, "standfirst": event.standfirst})


class Opened(StoryEvent, Aggregate.Created):
    slug: str
    headline: str
    standfirst: str | None
    meaning = _Opened()


class _HeadlineChanged(Meaning):
    reader_change = "headline"
    reason_field = "reason"

    def apply(self, page: PageState, event: Any) -> None:
        page.header = replace(page.header, headline=event.headline)

    def label(self, event: Any) -> str:
        return "Headline changed"

    def summary(self, event: Any) -> str:
        return f"Headline changed to {event.headline!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), {"headline": before.header.headline}, {"headline": event.headline})


class HeadlineChanged(StoryEvent):
    headline: str
    reason: str
    meaning = _HeadlineChanged()

    def apply(self, story: StoryState) -> None:
        story.headline = self.headline


class _StandfirstChanged(Meaning):
    reader_change = "standfirst"

    def apply(self, page: PageState, event: Any) -> None:
        page.header = replace(page.header, standfirst=event.standfirst)

    def label(self, event: Any) -> str:
        return "Standfirst removed" if event.standfirst is None else "Standfirst changed"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        old = before.header.standfirst
        label = "Standfirst added" if old is None and event.standfirst is not None else self.label(event)
        return Told(label, {"standfirst": old}, {"standfirst": event.standfirst})


class StandfirstChanged(StoryEvent):
    standfirst: str | None
    meaning = _StandfirstChanged()

    def apply(self, story: StoryState) -> None:
        story.standfirst = self.standfirst


class _TimeZoneChanged(Meaning):
    """Changes the zone readers are shown the page's times in (JSON and feeds stay in UTC)."""

    def apply(self, page: PageState, event: Any) -> None:
        page.header = replace(page.header, time_zone=event.time_zone)

    def label(self, event: Any) -> str:
        return f"Time zone set to {event.time_zone}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"time_zone": event.time_zone})


class TimeZoneChanged(StoryEvent):
    time_zone: str
    meaning = _TimeZoneChanged()

    def apply(self, story: StoryState) -> None:
        story.time_zone = self.time_zone


class _StatusChanged(Meaning):
    def __init__(self, status: str, label: str, reader_change: str | None) -> None:
        self.status, self.words, self.reader_change = status, label, reader_change

    def apply(self, page: PageState, event: Any) -> None:
        page.header = self.changed(replace(page.header, status=self.status), event)

    def changed(self, header: Header, event: Any) -> Header:
        """The header with the coverage time the event sets, beside its status."""
        return header

    def label(self, event: Any) -> str:
        return self.words

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.words, {"status": before.header.status}, {"status": self.status})


class _Published(_StatusChanged):
    def __init__(self) -> None:
        super().__init__(LIVE, "Story published", None)

    def changed(self, header: Header, event: Any) -> Header:
        """Coverage begins with the first publication (a story is published only once as yet)."""
        return header if header.published_at is not None else replace(header, published_at=event.timestamp)

    def summary(self, event: Any) -> str:
        return f"{self.words}{as_scheduled(event)}"


class _Closed(_StatusChanged):
    def __init__(self) -> None:
        super().__init__(CLOSED, "Story closed", "closed")

    def changed(self, header: Header, event: Any) -> Header:
        return replace(header, closed_at=event.timestamp)


class _Reopened(_StatusChanged):
    def __init__(self) -> None:
        super().__init__(LIVE, "Story reopened", "reopened")

    def changed(self, header: Header, event: Any) -> Header:
        """Coverage goes on: it has no end while the story is live."""
        return replace(header, closed_at=None)


class Published(StoryEvent):
    """`scheduled_for`: recorded by the publisher for a publication scheduled for that time,
    `late` when well after it (neither is stored for an editor's own publication)."""

    scheduled_for: datetime | None = field(default=None, kw_only=True)
    late: bool = field(default=False, kw_only=True)
    unset_unstored: ClassVar[tuple[str, ...]] = ("scheduled_for", "late")
    meaning = _Published()

    def apply(self, story: StoryState) -> None:
        story.status = LIVE
        story.publish_at = None


class Closed(StoryEvent):
    meaning = _Closed()

    def apply(self, story: StoryState) -> None:
        story.status = CLOSED


class Reopened(StoryEvent):
    meaning = _Reopened()

    def apply(self, story: StoryState) -> None:
        story.status = LIVE


def valid_standfirst(standfirst: str | None) -> str | None:
    """A standfirst, or None for none (or a blank one)."""
    if standfirst is None or not standfirst.strip():
        return None
    return rules.valid_text("standfirst", standfirst, rules.STANDFIRST_MAX)


class HeaderCommands(StoryState):
    """The story's commands on its header and status (part of `Story`)."""

    def change_headline(
        self, headline: str, *, reason: str, editor: str, at: datetime, role: str | None = None
    ) -> None:
        headline = rules.valid_line("headline", headline, rules.HEADLINE_MAX)
        reason = rules.valid_text("reason", reason, rules.REASON_MAX)
        if headline == self.headline:
            raise NothingToChange(f"the headline of {self.slug!r} is already {headline!r}")
        self._record(HeadlineChanged, editor, at, role, headline=headline, reason=reason)

    def change_standfirst(
        self, standfirst: str | None, *, editor: str, at: datetime, role: str | None = None
    ) -> None:
        standfirst = valid_standfirst(standfirst)
        if standfirst == self.standfirst:
            raise NothingToChange(f"the standfirst of {self.slug!r} is already that text")
        self._record(StandfirstChanged, editor, at, role, standfirst=standfirst)

    def change_time_zone(self, time_zone: str, *, editor: str, at: datetime, role: str | None = None) -> None:
        """Readers see the story's times in this zone (JSON and feeds stay in UTC)."""
        time_zone = rules.valid_time_zone(time_zone)
        if time_zone == self.time_zone:
            raise NothingToChange(f"the time zone of {self.slug!r} is already {time_zone}")
        self._record(TimeZoneChanged, editor, at, role, time_zone=time_zone)

    def publish(self, *, editor: str, at: datetime, role: str | None = None) -> None:
        if self.status != DRAFT:
            raise WrongStatus(self.slug, self.status, "only a draft can be published")
        self._record(Published, editor, at, role)

    def close(self, *, editor: str, at: datetime, role: str | None = None) -> None:
        if self.status != LIVE:
            raise WrongStatus(self.slug, self.status, "only a live story can be closed")
        self._record(Closed, editor, at, role)

    def reopen(self, *, editor: str, at: datetime, role: str | None = None) -> None:
        if self.status != CLOSED:
            raise WrongStatus(self.slug, self.status, "only a closed story can be reopened")
        self._record(Reopened, editor, at, role)
