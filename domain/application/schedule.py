"""Scheduling: posts and a draft's publication recorded now, published by the publisher when due."""

from __future__ import annotations

from contextvars import copy_context
from datetime import datetime
from typing import Any

from eventsourcing.persistence import IntegrityError

from domain import rules
from domain.application.base import Done, NewsroomBase
from domain.commands import command
from domain.markdown_body import parse_body
from domain.roles import EDITOR
from domain.schedule import SCHEDULER, SYSTEM_ROLE, Due, Publication, ScheduledPost
from domain.story import Story
from domain.update_digests import UpdateDigests


class ScheduleCommands(NewsroomBase):
    """What waits to be published, and the round that publishes it when due."""

    @command("schedule_update", EDITOR, action="schedule an update")
    def schedule_update(
        self,
        slug: str,
        title: str,
        body: str,
        *,
        publish_at: datetime,
        byline: str | None = None,
        key_event: bool = False,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Schedules an update (Markdown) for `publish_at`; returns the scheduled post's number."""
        blocks = parse_body(rules.valid_text("body", body, rules.BODY_MAX))
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: Done(s.schedule_update(
                title, blocks, publish_at=publish_at, byline=byline, key_event=key_event,
                editor=editor, at=at, role=role,
            )),
        )  # fmt: skip

    @command("reschedule_update", EDITOR, action="reschedule an update")
    def reschedule_update(
        self, slug: str, scheduled: int, *, publish_at: datetime, editor: str, request_id: str | None = None
    ) -> int:
        """Moves a waiting post to another time."""
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.reschedule_update(scheduled, publish_at, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("unschedule_update", EDITOR, action="unschedule an update")
    def unschedule_update(
        self, slug: str, scheduled: int, *, editor: str, request_id: str | None = None
    ) -> int:
        """Cancels a waiting post: it will not be published."""
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.reschedule_update(scheduled, None, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("schedule_publication", EDITOR, action="schedule a story's publication")
    def schedule_publication(
        self, slug: str, *, publish_at: datetime, editor: str, request_id: str | None = None
    ) -> int:
        """Schedules a draft's publication for `publish_at`."""
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.schedule_publication(publish_at, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("unschedule_publication", EDITOR, action="unschedule a story's publication")
    def unschedule_publication(self, slug: str, *, editor: str, request_id: str | None = None) -> int:
        """Cancels a draft's scheduled publication."""
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.schedule_publication(None, editor=editor, at=at, role=role),
        )  # fmt: skip

    def get_schedule(self, slug: str) -> list[Due]:
        """What waits on the story, in the order it falls due, read from its events."""
        story = self.get_story(slug)
        due = [Due(slug, story.publish_at)] if story.status == "draft" and story.publish_at else []
        due += [Due(slug, entry[1], self._scheduled_post(story, entry[0])) for entry in story.scheduled]
        return sorted(due, key=lambda d: (d.publish_at, d.post is not None, d.post.number if d.post else 0))

    def publish_due(self, slug: str, *, now: datetime) -> list[Publication]:
        """Publishes what is due on the story at `now`, under the system identity, in one write
        recorded against the story's version as found: if another publisher (or an editor)
        wrote first, nothing is recorded and the next round looks again, so each item is
        published once."""
        story = self.get_story(slug)
        publication_due, due_posts = story.publication_due(now), story.due_posts(now)
        if not publication_due and not due_posts:
            return []  # the usual round: nothing due, so no roster read and no words read
        return copy_context().run(self._publish, story, now, publication_due, due_posts)

    def _publish(
        self, story: Story, now: datetime, publication_due: bool, due_posts: list[int]
    ) -> list[Publication]:
        """Records what is due, signed on a store that signs by the system identity's key
        (`NEWSROOM_SYSTEM_KEY`, registered on the roster as `SCHEDULER`'s); in a context of its
        own, as a command runs, so the signing ends with it."""
        slug = story.slug
        published: list[Publication] = []
        digests: list[UpdateDigests] = []
        staffed = self.get_badge(SCHEDULER).roles is not None
        role = SYSTEM_ROLE if staffed else None
        signatures = self.get_signatures() if staffed else None
        if signatures is not None:
            roster = self._roster()
            current = () if roster is None else roster.current_keys(SCHEDULER)
            self._sign_as(SCHEDULER, current, signatures.namespace, system=True)
        with self.sealing_words():
            if publication_due:
                assert story.publish_at is not None
                published.append(Publication(Due(slug, story.publish_at), now))
                story.publish_on_schedule(at=now, role=role)
            for number in due_posts:  # publishing the story (draft to live) leaves them due
                post = self._scheduled_post(story, number)
                digests.append(story.post_on_schedule(post, at=now, role=role))
                published.append(Publication(Due(slug, post.publish_at, post), now))
        try:
            self.save(story, *digests)
        except IntegrityError:
            return []
        return published

    def _scheduled_post(self, story: Story, number: int) -> ScheduledPost:
        _, publish_at, version = story.require_scheduled(number)
        event: Any = self._story_event(story.id, version)
        body = tuple(event.body)
        return ScheduledPost(
            number, event.title, event.byline, body, event.key_event, publish_at, event.editor
        )
