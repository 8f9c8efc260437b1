"""Scheduled posts and story publication: what waits for its time, and who publishes it.

The intention is recorded now (`Story.UpdateScheduled`, `Story.PublicationScheduled`) and is behind
the page; when the time comes a publisher (`infrastructure/publisher.py`) records the publication
itself (`Story.UpdatePosted` or `Story.Published`, naming the time it was scheduled for) under
the system identity below. Nothing scheduled is on any page before its publication is recorded,
so time travel, rebuilds and feeds cannot show it early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.blocks import Block
from domain.errors import ScheduledInThePast, TimeWithoutZone

SCHEDULER = "scheduler"
"""The editor named on every publication the publisher records."""
SYSTEM_ROLE = "system"
"""The role it records them under once the store has a roster (none without)."""
LATE_AFTER = timedelta(minutes=1)
"""A publication recorded more than this after its time is marked late (the publisher was down)."""


def valid_publish_at(moment: datetime, now: datetime) -> datetime:
    """`moment` in UTC, if it names its zone and is still to come."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise TimeWithoutZone(moment)
    moment = moment.astimezone(UTC)
    if moment <= now:
        raise ScheduledInThePast(moment, now)
    return moment


def is_late(scheduled_for: datetime, now: datetime) -> bool:
    return now - scheduled_for > LATE_AFTER


def as_scheduled(event: Any) -> str:
    """ " as scheduled for TIME[, late]" for a publication the publisher recorded (a post's or a
    story's: `scheduled_for` and `late`), "" for an editor's own."""
    if event.scheduled_for is None:
        return ""
    return f" as scheduled for {event.scheduled_for.isoformat()}{', late' if event.late else ''}"


@dataclass(frozen=True)
class ScheduledPost:
    """A post waiting for its time: its words, when it goes out, who scheduled it."""

    number: int
    title: str
    byline: str | None
    body: tuple[Block, ...]
    key_event: bool
    publish_at: datetime
    scheduled_by: str


@dataclass(frozen=True)
class Due:
    """One item on the schedule: a story's publication (`post` None) or a post, and its time."""

    slug: str
    publish_at: datetime
    post: ScheduledPost | None = None

    @property
    def what(self) -> str:
        return "publication" if self.post is None else f"post {self.post.number}"


@dataclass(frozen=True)
class Publication:
    """What a publisher recorded: the item and when it was published."""

    due: Due
    published_at: datetime

    @property
    def late(self) -> bool:
        return is_late(self.due.publish_at, self.published_at)
