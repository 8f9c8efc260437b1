"""Scheduling: posts and a draft's publication recorded now for later. Nothing readers see
changes until the publisher records the publication itself (`domain/schedule.py`): the post as
an update (`Story.UpdatePosted`), the story's as `Story.Published`, naming the time it was for."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from domain.blocks import Block
from domain.errors import NothingToChange, ScheduledPostNotFound, ScheduledPostNotPending, WrongStatus
from domain.meaning import BehindThePage, Seen, Told, words_of
from domain.schedule import SCHEDULER, ScheduledPost, is_late, valid_publish_at
from domain.story_event import StoryEvent
from domain.story_header import Published
from domain.story_state import CLOSED, DRAFT
from domain.story_updates import UpdateCommands, UpdatePosted
from domain.update_digests import UpdateDigests


class _Scheduled(BehindThePage):
    def label(self, event: Any) -> str:
        return f"Post {event.scheduled} scheduled"

    def summary(self, event: Any) -> str:
        return f"Post {event.scheduled} scheduled for {event.publish_at.isoformat()}: {event.title!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        scheduled = {**words_of(event), "key_event": event.key_event, "publish_at": event.publish_at}
        return Told(self.label(event), None, scheduled)


class UpdateScheduled(StoryEvent):
    """Sealed (a store with keys) under the scheduled post's own key, not yet an update's."""

    scheduled: int
    title: str
    byline: str | None
    body: tuple[Block, ...]
    key_event: bool
    publish_at: datetime
    protected: ClassVar[tuple[str, ...]] = ("title", "byline", "body")
    meaning = _Scheduled()

    def apply(self, story: ScheduleCommands) -> None:
        story.scheduled_count = self.scheduled
        story.scheduled = [*story.scheduled, [self.scheduled, self.publish_at, self.originator_version]]


class _Rescheduled(BehindThePage):
    def label(self, event: Any) -> str:
        if event.publish_at is None:
            return f"Scheduled post {event.scheduled} unscheduled"
        return f"Scheduled post {event.scheduled} moved"

    def summary(self, event: Any) -> str:
        if event.publish_at is None:
            return self.label(event)
        return f"{self.label(event)} to {event.publish_at.isoformat()}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"publish_at": event.publish_at})


class UpdateRescheduled(StoryEvent):
    """`publish_at` None: unscheduled (it will not be published)."""

    scheduled: int
    publish_at: datetime | None
    meaning = _Rescheduled()

    def apply(self, story: ScheduleCommands) -> None:
        entries = [list(e) for e in story.scheduled]
        for entry in entries:
            if entry[0] == self.scheduled:
                entry[1] = self.publish_at
        story.scheduled = [e for e in entries if e[1] is not None]


class _PublicationScheduled(BehindThePage):
    def label(self, event: Any) -> str:
        return "Publication unscheduled" if event.publish_at is None else "Publication scheduled"

    def summary(self, event: Any) -> str:
        if event.publish_at is None:
            return self.label(event)
        return f"Publication scheduled for {event.publish_at.isoformat()}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"publish_at": event.publish_at})


class PublicationScheduled(StoryEvent):
    """`publish_at` None: the scheduled publication is cancelled."""

    publish_at: datetime | None
    meaning = _PublicationScheduled()

    def apply(self, story: ScheduleCommands) -> None:
        story.publish_at = self.publish_at


class ScheduleCommands(UpdateCommands):
    """The story's scheduling commands, and the publisher's (part of `Story`)."""

    def schedule_update(
        self,
        title: str,
        body: tuple[Block, ...],
        *,
        publish_at: datetime,
        byline: str | None = None,
        key_event: bool = False,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> int:
        """Records a post to be published at `publish_at` (with its zone, still to come);
        returns its scheduled number."""
        title, byline, body = self._new_words("scheduling", title, byline, body)
        publish_at = valid_publish_at(publish_at, at)
        number = self.scheduled_count + 1
        self._record(
            UpdateScheduled, editor, at, role,
            scheduled=number, title=title, byline=byline, body=body, key_event=key_event,
            publish_at=publish_at,
        )  # fmt: skip
        return number

    def reschedule_update(
        self,
        scheduled: int,
        publish_at: datetime | None,
        *,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> None:
        """Moves a waiting post to another time, or (`publish_at` None) unschedules it."""
        entry = self.require_scheduled(scheduled)
        if publish_at is not None:
            publish_at = valid_publish_at(publish_at, at)
            if publish_at == entry[1]:
                raise NothingToChange(f"scheduled post {scheduled} of {self.slug!r} is already due then")
        self._record(UpdateRescheduled, editor, at, role, scheduled=scheduled, publish_at=publish_at)

    def schedule_publication(
        self, publish_at: datetime | None, *, editor: str, at: datetime, role: str | None = None
    ) -> None:
        """Schedules a draft's publication (or, `publish_at` None, cancels it)."""
        if self.status != DRAFT:
            raise WrongStatus(self.slug, self.status, "only a draft can be scheduled for publication")
        if publish_at is None and self.publish_at is None:
            raise NothingToChange(f"the publication of {self.slug!r} is not scheduled")
        if publish_at is not None:
            publish_at = valid_publish_at(publish_at, at)
            if publish_at == self.publish_at:
                raise NothingToChange(f"the publication of {self.slug!r} is already scheduled then")
        self._record(PublicationScheduled, editor, at, role, publish_at=publish_at)

    def require_scheduled(self, scheduled: int) -> list[Any]:
        """[number, publish_at, version of its words] of a post still waiting."""
        if not 1 <= scheduled <= self.scheduled_count:
            raise ScheduledPostNotFound(self.slug, scheduled, self.scheduled_count)
        for entry in self.scheduled:
            if entry[0] == scheduled:
                return list(entry)
        raise ScheduledPostNotPending(self.slug, scheduled)

    def due_posts(self, now: datetime) -> list[int]:
        """The waiting posts whose time has come, in the order they fall due (none on a closed story)."""
        if self.status == CLOSED:
            return []
        return [
            number
            for number, moment, _ in sorted(self.scheduled, key=lambda e: (e[1], e[0]))
            if moment <= now
        ]

    def publication_due(self, now: datetime) -> bool:
        return self.status == DRAFT and self.publish_at is not None and self.publish_at <= now

    def publish_on_schedule(self, *, at: datetime, role: str | None = None) -> None:
        """The publisher publishes a draft whose time has come, naming that time."""
        if not self.publication_due(at):
            raise WrongStatus(self.slug, self.status, "its publication is not due")
        assert self.publish_at is not None
        scheduled_for = self.publish_at
        self._record(
            Published, SCHEDULER, at, role, scheduled_for=scheduled_for, late=is_late(scheduled_for, at)
        )

    def post_on_schedule(
        self, post: ScheduledPost, *, at: datetime, role: str | None = None
    ) -> UpdateDigests:
        """The publisher posts a waiting post whose time has come as the next update; returns
        its digests, to be saved with the story."""
        if post.number not in self.due_posts(at):
            raise ScheduledPostNotPending(self.slug, post.number)
        number = self.update_count + 1
        self._record(
            UpdatePosted, SCHEDULER, at, role,
            number=number, title=post.title, byline=post.byline, body=post.body, key_event=post.key_event,
            scheduled=post.number, scheduled_for=post.publish_at, late=is_late(post.publish_at, at),
        )  # fmt: skip
        return UpdateDigests.posted(self.id, number, post.title, post.body, at)
