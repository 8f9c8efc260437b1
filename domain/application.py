"""The Newsroom application: the editors' commands and the get_* queries over stories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProjectorFunction,
    project_aggregate,
)
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, Transcoding
from eventsourcing.utils import EnvType

from domain import rules
from domain.chain import SaltSource, read_for_rules, sealing
from domain.clock import Clock, utc_now
from domain.earlier_words import SCHEDULED_WORDS, SUBMITTED_WORDS, earlier_words
from domain.errors import (
    RequestIdReused,
    StaffBusy,
    StoryAlreadyExists,
    StoryBusy,
    StoryNotFound,
    VersionConflict,
)
from domain.markdown_body import parse_body
from domain.page import Page
from domain.roles import Badge
from domain.schedule import SCHEDULER, SYSTEM_ROLE, Due, Publication, ScheduledPost
from domain.staff import Roster, StaffCard, StaffMember
from domain.story import Story
from domain.submission import Submission
from domain.update import DigestKeys, keyed_digests
from domain.update_digests import UpdateDigests

if TYPE_CHECKING:
    # Imported where used: only some commands need them, and a write process imports what it runs.
    from domain.erasure import Erasures
    from domain.request import CommandRequest

T = TypeVar("T")
CONFLICT_RETRIES = 200
"""How often a command is re-run on a fresh read of its story when another editor wrote first."""


class RetryPolicy(Protocol):
    """How a command is run again, on a fresh read of its story, when another editor wrote first."""

    @property
    def attempts(self) -> int:
        """How many times the command is run before it gives up (`StoryBusy`)."""
        ...

    def wait(self, attempt: int) -> None:
        """Called after failed attempt `attempt` (0-based), before the next one."""
        ...


@dataclass(frozen=True)
class RetryAtOnce:
    """Runs the command again straight away: enough for a process alone on its store. Processes
    that share a store wait between attempts (`infrastructure.retry.JitteredBackoff`)."""

    attempts: int = CONFLICT_RETRIES

    def wait(self, attempt: int) -> None:
        return None


def _fold_story(story: Story | None, events: Iterable[Story.Event]) -> Story | None:
    """The library's `project_aggregate` without its per-event protocol check (`assert isinstance`
    against a runtime-checkable Protocol), which costs more than applying a post: every event here
    is a `Story.Event` or the library's `Snapshot`, both of which mutate."""
    for event in events:
        story = event.mutate(story)
    return story


class Newsroom(Application[UUID]):
    """Commands editors give and queries that read stories back from their events."""

    name = "Newsroom"
    snapshotting_intervals = {Story: 10, Roster: 50}
    snapshotting_projectors = {Story: _fold_story}
    """Snapshots are folded as stories are loaded (`_fold_story`), not by `project_aggregate`."""

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        transcodings: Sequence[Transcoding],
        clock: Clock = utc_now,
        retry: RetryPolicy = RetryAtOnce(),
        salts: SaltSource | None = None,
        sealed_mapper: Callable[[Mapper[UUID]], Mapper[UUID]] | None = None,
        card_ids: Callable[[str], UUID] | None = None,
        digest_keys: DigestKeys | None = None,
    ) -> None:
        """`transcodings` store the dataclasses inside events and snapshots (blocks; in old
        snapshots, updates) and `retry` says how a command another editor got ahead of is run
        again; the composition root gives both (`infrastructure.transcodings`, `.retry`).
        With `salts` (secret random text), events are created sealed: their protected values'
        salted commitments are chained (`domain.chain`), and `sealed_mapper`, given the library's
        mapper, returns the one that encrypts and decrypts them (`infrastructure.encryption`).
        `card_ids` gives new staff cards ids not derived from the name alone (person keys).
        `digest_keys` gives each update the secret key its digests are made with, destroyed with
        its words (`domain.update`); without it digests are plain, as they always were."""
        self.transcodings = tuple(transcodings)  # before the library builds its transcoder
        self.sealed_mapper = sealed_mapper  # and its mapper
        super().__init__(env)
        self.clock = clock
        self.retry = retry
        self.salts = salts
        self.card_ids = card_ids
        self.digest_keys = digest_keys
        self._roster_seen = False
        """Whether this process has seen the store's roster: once a store has one it always has."""

    def construct_mapper(self) -> Mapper[UUID]:
        mapper = super().construct_mapper()
        return mapper if self.sealed_mapper is None else self.sealed_mapper(mapper)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in self.transcodings:
            transcoder.register(transcoding)

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
    ) -> None:
        """The library's, reading the aggregate as its rules do (`read_for_rules`): a snapshot holds
        no update's words, so the events since the last one are folded with their words left sealed."""
        with read_for_rules():
            super().take_snapshot(aggregate_id, version, projector_func)

    @contextmanager
    def sealing_words(self) -> Iterator[None]:
        """While open, new events are sealed (`salts`) and an update's digests, made or compared,
        are keyed (`digest_keys`): around a command's rules."""
        with sealing(self.salts), keyed_digests(self.digest_keys):
            yield

    # Commands. Each takes an optional request id: a command repeated under the same id
    # appends nothing and returns the first result. The request records the command by a stable
    # id: the method's name today, kept as it is should the method be renamed.

    def open_story(
        self,
        slug: str,
        headline: str,
        standfirst: str | None = None,
        *,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Opens a draft story; returns its version (1)."""
        role = self.authorise(editor, "open_story")
        request = self._previous_request(request_id, "open_story", slug)
        if request is not None:
            return request.result
        at = self.clock()
        with sealing(self.salts):
            story = Story.open(slug, headline, standfirst, editor=editor, at=at, role=role)
            requests = self._request_record(request_id, "open_story", slug, 1, editor, at)
        try:
            self.save(story, *requests)
        except IntegrityError:
            request = self._previous_request(request_id, "open_story", slug)
            if request is not None:
                return request.result
            raise StoryAlreadyExists(slug) from None
        return story.version

    def change_headline(
        self, slug: str, headline: str, *, reason: str, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            "change_headline", slug, editor, request_id,
            lambda s, at, role: s.change_headline(headline, reason=reason, editor=editor, at=at, role=role),
        )  # fmt: skip

    def change_standfirst(
        self, slug: str, standfirst: str | None, *, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            "change_standfirst", slug, editor, request_id,
            lambda s, at, role: s.change_standfirst(standfirst, editor=editor, at=at, role=role),
        )  # fmt: skip

    def change_time_zone(
        self, slug: str, time_zone: str, *, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            "change_time_zone", slug, editor, request_id,
            lambda s, at, role: s.change_time_zone(time_zone, editor=editor, at=at, role=role),
        )  # fmt: skip

    def publish_story(self, slug: str, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            "publish_story",
            slug,
            editor,
            request_id,
            lambda s, at, role: s.publish(editor=editor, at=at, role=role),
        )

    def close_story(self, slug: str, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            "close_story",
            slug,
            editor,
            request_id,
            lambda s, at, role: s.close(editor=editor, at=at, role=role),
        )

    def reopen_story(self, slug: str, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            "reopen_story",
            slug,
            editor,
            request_id,
            lambda s, at, role: s.reopen(editor=editor, at=at, role=role),
        )

    def post_update(
        self,
        slug: str,
        title: str,
        body: str,
        *,
        byline: str | None = None,
        key_event: bool = False,
        pin: bool = False,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Posts an update from Markdown and returns its number."""
        blocks = parse_body(rules.valid_text("body", body, rules.BODY_MAX))

        def post(story: Story, at: datetime, role: str | None) -> _Done:
            update = story.post_update(
                title, blocks, byline=byline, key_event=key_event, pin=pin, editor=editor, at=at, role=role
            )
            return _Done(update.number, update)

        return self._change("post_update", slug, editor, request_id, post)

    def revise_update(
        self,
        slug: str,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        reason: str,
        editor: str,
        expect_version: int | None = None,
        request_id: str | None = None,
    ) -> int:
        blocks = None if body is None else parse_body(rules.valid_text("body", body, rules.BODY_MAX))
        return self._change(
            "revise_update", slug, editor, request_id,
            self._on_update(number, lambda s, u, at, role: s.revise_update(
                u, title=title, body=blocks, reason=reason, editor=editor, at=at, role=role
            )),
            expect_version=expect_version,
        )  # fmt: skip

    def correct_quote(
        self,
        slug: str,
        number: int,
        quote: int,
        *,
        text: str | None = None,
        attribution: str | None = None,
        note: str,
        editor: str,
        expect_version: int | None = None,
        request_id: str | None = None,
    ) -> int:
        return self._change(
            "correct_quote", slug, editor, request_id,
            self._on_update(number, lambda s, u, at, role: s.correct_quote(
                u, quote, text=text, attribution=attribution, note=note, editor=editor, at=at, role=role
            )),
            expect_version=expect_version,
        )  # fmt: skip

    def retract_update(
        self, slug: str, number: int, *, reason: str, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            "retract_update", slug, editor, request_id,
            lambda s, at, role: s.retract_update(number, reason=reason, editor=editor, at=at, role=role),
        )  # fmt: skip

    def pin_update(self, slug: str, number: int, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            "pin_update", slug, editor, request_id,
            lambda s, at, role: s.pin_update(number, editor=editor, at=at, role=role),
        )  # fmt: skip

    def unpin_update(self, slug: str, number: int, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            "unpin_update", slug, editor, request_id,
            lambda s, at, role: s.unpin_update(number, editor=editor, at=at, role=role),
        )  # fmt: skip

    def mark_key_event(
        self,
        slug: str,
        number: int,
        *,
        key_event: bool = True,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        return self._change(
            "mark_key_event", slug, editor, request_id,
            lambda s, at, role: s.mark_key_event(
                number, key_event=key_event, editor=editor, at=at, role=role
            ),
        )  # fmt: skip

    def take_down_update(
        self, slug: str, number: int, *, order: str, note: str, editor: str, request_id: str | None = None
    ) -> int:
        """Records that an update was taken down under a legal order, with a public note; the
        caller destroys the update's key (`infrastructure.takedown`)."""
        return self._change(
            "take_down_update", slug, editor, request_id,
            lambda s, at, role: s.take_down_update(
                number, order=order, note=note, editor=editor, at=at, role=role
            ),
        )  # fmt: skip

    def take_down_submission(
        self, slug: str, submission: int, *, order: str, note: str, editor: str, request_id: str | None = None
    ) -> int:
        """Records that a submission that never became an update was taken down under a legal
        order; the caller destroys its key (`infrastructure.takedown`)."""
        return self._take_down_earlier(
            "take_down_submission", slug, SUBMITTED_WORDS, submission, order, note, editor, request_id
        )

    def take_down_scheduled_post(
        self, slug: str, scheduled: int, *, order: str, note: str, editor: str, request_id: str | None = None
    ) -> int:
        """The same for a scheduled post that was never published."""
        return self._take_down_earlier(
            "take_down_scheduled_post", slug, SCHEDULED_WORDS, scheduled, order, note, editor, request_id
        )

    def _take_down_earlier(
        self,
        command_id: str,
        slug: str,
        kind: str,
        number: int,
        order: str,
        note: str,
        editor: str,
        request_id: str | None,
    ) -> int:
        def take_down(story: Story, at: datetime, role: str | None) -> None:
            with read_for_rules():  # whether the words were sealed, not the words
                words = earlier_words(self.events.get(story.id, lte=story.version), kind, number)
            story.take_down_earlier_words(words, order=order, note=note, editor=editor, at=at, role=role)

        return self._change(command_id, slug, editor, request_id, take_down)

    # Submissions: updates offered for approval, posted only when an editor approves them.

    def submit_update(
        self,
        slug: str,
        title: str,
        body: str,
        *,
        byline: str | None = None,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Submits an update (Markdown) for an editor's approval; returns the submission's number."""
        blocks = parse_body(rules.valid_text("body", body, rules.BODY_MAX))
        return self._change(
            "submit_update", slug, editor, request_id,
            lambda s, at, role: _Done(
                s.submit_update(title, blocks, byline=byline, editor=editor, at=at, role=role)
            ),
        )  # fmt: skip

    def revise_submission(
        self,
        slug: str,
        submission: int,
        *,
        title: str | None = None,
        body: str | None = None,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """The submitter changes their pending submission's title, body or both."""
        blocks = None if body is None else parse_body(rules.valid_text("body", body, rules.BODY_MAX))
        return self._change(
            "revise_submission", slug, editor, request_id,
            lambda s, at, role: s.revise_submission(
                self._submission(s, submission), title=title, body=blocks, editor=editor, at=at, role=role
            ),
        )  # fmt: skip

    def withdraw_submission(
        self, slug: str, submission: int, *, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            "withdraw_submission", slug, editor, request_id,
            lambda s, at, role: s.withdraw_submission(submission, editor=editor, at=at, role=role),
        )  # fmt: skip

    def reject_submission(
        self, slug: str, submission: int, *, reason: str, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            "reject_submission", slug, editor, request_id,
            lambda s, at, role: s.reject_submission(
                submission, reason=reason, editor=editor, at=at, role=role
            ),
        )  # fmt: skip

    def approve_submission(
        self,
        slug: str,
        submission: int,
        *,
        key_event: bool = False,
        pin: bool = False,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Posts a pending submission as the story's next update; returns the update's number."""

        def approve(story: Story, at: datetime, role: str | None) -> _Done:
            update = story.approve_submission(
                self._submission(story, submission),
                key_event=key_event,
                pin=pin,
                editor=editor,
                at=at,
                role=role,
            )
            return _Done(update.number, update)

        return self._change("approve_submission", slug, editor, request_id, approve)

    # Scheduling: posts and publication recorded now, published by the publisher when due.

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
            "schedule_update", slug, editor, request_id,
            lambda s, at, role: _Done(s.schedule_update(
                title, blocks, publish_at=publish_at, byline=byline, key_event=key_event,
                editor=editor, at=at, role=role,
            )),
        )  # fmt: skip

    def reschedule_update(
        self, slug: str, scheduled: int, *, publish_at: datetime, editor: str, request_id: str | None = None
    ) -> int:
        """Moves a waiting post to another time."""
        return self._change(
            "reschedule_update", slug, editor, request_id,
            lambda s, at, role: s.reschedule_update(scheduled, publish_at, editor=editor, at=at, role=role),
        )  # fmt: skip

    def unschedule_update(
        self, slug: str, scheduled: int, *, editor: str, request_id: str | None = None
    ) -> int:
        """Cancels a waiting post: it will not be published."""
        return self._change(
            "unschedule_update", slug, editor, request_id,
            lambda s, at, role: s.reschedule_update(scheduled, None, editor=editor, at=at, role=role),
        )  # fmt: skip

    def schedule_publication(
        self, slug: str, *, publish_at: datetime, editor: str, request_id: str | None = None
    ) -> int:
        """Schedules a draft's publication for `publish_at`."""
        return self._change(
            "schedule_publication", slug, editor, request_id,
            lambda s, at, role: s.schedule_publication(publish_at, editor=editor, at=at, role=role),
        )  # fmt: skip

    def unschedule_publication(self, slug: str, *, editor: str, request_id: str | None = None) -> int:
        """Cancels a draft's scheduled publication."""
        return self._change(
            "unschedule_publication", slug, editor, request_id,
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
        published: list[Publication] = []
        digests: list[UpdateDigests] = []
        role = SYSTEM_ROLE if self.get_badge(SCHEDULER).roles is not None else None
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

    def get_submissions(self, slug: str) -> list[Submission]:
        """The story's pending submissions, oldest first, read from its events."""
        story = self.get_story(slug)
        return [self._submission(story, entry[0]) for entry in story.pending]

    def _submission(self, story: Story, number: int) -> Submission:
        """Pending submission `number` as it stands: two of the story's events at most (the one
        that submitted it, the one holding its latest words)."""
        submitter, first, latest = story.require_pending(number)
        submitted: Any = self._story_event(story.id, first)
        words: Any = submitted if latest == first else self._story_event(story.id, latest)
        body = tuple(words.body)
        return Submission(number, words.title, words.byline, body, submitter, submitted.timestamp)

    def _story_event(self, story_id: UUID, version: int) -> Any:
        return next(iter(self.events.get(story_id, gt=version - 1, lte=version)))

    def _change(
        self,
        command_id: str,
        slug: str,
        editor: str,
        request_id: str | None,
        command: Callable[[Story, datetime, str | None], _Done | None],
        *,
        expect_version: int | None = None,
    ) -> int:
        """Runs `command` on the story and saves its events (and those of the update digests the
        command changed) atomically.

        Returns the command's result (an update number) or else the story's new version.
        On a version conflict the command is run again on a fresh read, where its rules are
        checked again; a command made against an expected version is refused instead. Before
        anything, the editor's roles are checked (`authorise`): `command` is given the role it is
        done under, which its events record.
        """
        role = self.authorise(editor, command_id)

        def attempt() -> int:
            request = self._previous_request(request_id, command_id, slug)
            if request is not None:
                return request.result
            story = self.get_story(slug)
            if expect_version is not None and story.version != expect_version:
                raise VersionConflict(slug, expect_version, story.version)
            at = self.clock()
            with self.sealing_words():
                done = command(story, at, role) or _Done()
            result = story.version if done.result is None else done.result
            with sealing(self.salts):
                requests = self._request_record(request_id, command_id, slug, result, editor, at)
            try:
                self.save(story, *done.also, *requests)
            except IntegrityError:
                if expect_version is None:
                    raise  # run again
                raise VersionConflict(slug, expect_version, self.get_story(slug).version) from None
            return result

        return self._until_saved(attempt, lambda: StoryBusy(slug, self.retry.attempts))

    def _until_saved(self, attempt: Callable[[], T], busy: Callable[[], Exception]) -> T:
        """`attempt()` (read, decide, save), run again on a fresh read while another writer saved
        first (its save's `IntegrityError`), waiting between attempts as `retry` says; `busy()` is
        raised when the attempts run out."""
        for n in range(self.retry.attempts):
            try:
                return attempt()
            except IntegrityError:
                self.retry.wait(n)
        raise busy()

    def _on_update(
        self, number: int, command: Callable[[Story, UpdateDigests, datetime, str | None], None]
    ) -> Callable[[Story, datetime, str | None], _Done]:
        """A command on update `number` of the story, given that update's digests to compare with."""

        def run(story: Story, at: datetime, role: str | None) -> _Done:
            update = self._update_digests(story, number, at)
            command(story, update, at, role)
            return _Done(None, update)

        return run

    def _update_digests(self, story: Story, number: int, at: datetime) -> UpdateDigests:
        """The digests of update `number`; for an update posted before stories kept them apart,
        made from its words folded from the story's events (once: the command saves them)."""
        story.require_update(number)
        try:
            update: UpdateDigests = self.repository.get(UpdateDigests.id_for(story.id, number))
        except AggregateNotFoundError:
            from domain.page_fold import PageFold

            fold = PageFold.of(self.events.get(story.id, lte=story.version))  # type: ignore[arg-type]
            words = fold.any_update(number)
            assert words is not None, "a number the story has is a posted update"
            return UpdateDigests.adopted(story.id, words, at)
        return update

    def _previous_request(self, request_id: str | None, command_id: str, slug: str) -> CommandRequest | None:
        """The record of an earlier command under `request_id`, if there was one."""
        if request_id is None:
            return None
        from domain.request import CommandRequest, valid_request_id

        try:
            request: CommandRequest = self.repository.get(CommandRequest.id_for(valid_request_id(request_id)))
        except AggregateNotFoundError:
            return None
        assert isinstance(request, CommandRequest)
        if not request.matches(command_id, slug):
            raise RequestIdReused(request_id, request.command, request.slug)
        return request

    @staticmethod
    def _request_record(
        request_id: str | None, command_id: str, slug: str, result: int, editor: str, at: datetime
    ) -> list[CommandRequest]:
        if request_id is None:
            return []
        from domain.request import CommandRequest

        return [CommandRequest.record(request_id, command_id, slug, result, editor=editor, at=at)]

    # Staff. Every change is made on the roster by an admin (or, while the store has none, by
    # anyone adding the first admin) and saved with the member's card in one atomic write.

    def add_staff(self, name: str, roles: Sequence[str], *, editor: str) -> None:
        """Adds `name` to the staff with `roles`; the first member must be an admin."""
        self._change_staff(
            "add_staff", name, editor,
            lambda roster, card, at, role: roster.add(
                name, roles, card, editor=editor, role=role, at=at, card_id=self._new_card_id(name)
            ),
        )  # fmt: skip

    def grant_role(self, name: str, role: str, *, editor: str) -> None:
        self._change_staff(
            "grant_role", name, editor,
            lambda roster, card, at, by: roster.grant(name, role, card, editor=editor, role=by, at=at),
        )  # fmt: skip

    def revoke_role(self, name: str, role: str, *, editor: str) -> None:
        self._change_staff(
            "revoke_role", name, editor,
            lambda roster, card, at, by: roster.revoke(name, role, card, editor=editor, role=by, at=at),
        )  # fmt: skip

    def remove_staff(self, name: str, *, editor: str) -> None:
        self._change_staff(
            "remove_staff", name, editor,
            lambda roster, card, at, by: roster.remove(name, card, editor=editor, role=by, at=at),
        )  # fmt: skip

    def erase_person(self, name: str, *, request: str, editor: str) -> None:
        """Records the erasure of `name` under `request` (an admin's, once the store has one),
        taking them off the staff in the same write if they are on it. The store then destroys
        their key (`infrastructure.erasure`): everywhere the name was recorded it reads erased."""
        from domain.erasure import Erasures

        name = rules.valid_editor(name)
        role = self.authorise(editor, "erase_person")

        def attempt() -> None:
            at = self.clock()
            try:
                erasures: Erasures = self.repository.get(Erasures.ID)
            except AggregateNotFoundError:
                erasures = Erasures.start(at=at)
            roster = self._roster()
            changed: list[Roster | StaffCard] = []
            with sealing(self.salts):
                erasures.erase(name, request=request, editor=editor, role=role, at=at)
                if roster is not None and name in roster.members:
                    changed = [
                        roster,
                        roster.remove(name, self._staff_card(name), editor=editor, role=role, at=at),
                    ]
            self.save(erasures, *changed)

        self._until_saved(attempt, lambda: StaffBusy(self.retry.attempts))

    def get_erasure_count(self) -> int:
        """How many people were erased."""
        from domain.erasure import Erasures

        try:
            erasures: Erasures = self.repository.get(Erasures.ID)
        except AggregateNotFoundError:
            return 0
        return erasures.count

    def get_erasure_requests(self) -> list[str]:
        """The request each erasure was made under, in the order they were made."""
        from domain.erasure import Erasures

        events = self.repository.event_store.get(Erasures.ID)
        return [event.request for event in events if isinstance(event, Erasures.PersonErased)]

    def _change_staff(
        self,
        command_id: str,
        name: str,
        editor: str,
        command: Callable[[Roster, StaffCard | None, datetime, str | None], StaffCard],
    ) -> None:
        """Checks that `editor` may change the staff (an admin; anyone while there is none, the
        roster then starting with this change), runs `command` and saves the roster with the
        member's card; another change saved first makes it run again on a fresh read."""
        name = rules.valid_editor(name)

        def attempt() -> None:
            at = self.clock()
            roster = self._roster()
            if roster is None:
                with sealing(self.salts):
                    roster, role = Roster.start(editor=editor, at=at), None
            else:
                role = Badge(rules.valid_editor(editor), frozenset(roster.roles_of(editor))).role_for(
                    command_id
                )
            with sealing(self.salts):
                card = command(roster, self._staff_card(name), at, role)
            self.save(roster, card)

        self._until_saved(attempt, lambda: StaffBusy(self.retry.attempts))

    def authorise(self, editor: str, command_id: str) -> str | None:
        """The role `editor` makes the command under (None: the store has no admin, so no roster
        is in force), read from the store as it is now; refuses a command their roles do not allow."""
        return self.get_badge(editor).role_for(command_id)

    def get_badge(self, name: str) -> Badge:
        """`name` and their roles now: whether the store has a roster at all (one row, asked only
        until it has one: a roster is never undone), then their card's latest event (one row)."""
        name = rules.valid_editor(name)
        if not self._has_roster():
            return Badge(name, None)
        for card_id in self._card_ids(name):
            latest = next(self.events.get(card_id, desc=True, limit=1), None)
            if latest is not None:
                return Badge(name, frozenset(latest.roles))  # type: ignore[attr-defined]
        return Badge(name, frozenset())

    def _has_roster(self) -> bool:
        if not self._roster_seen:
            self._roster_seen = next(self.events.get(Roster.ID, limit=1), None) is not None
        return self._roster_seen

    def get_staff(self) -> list[StaffMember]:
        """Every member of staff, by name; none while the store has no admin."""
        roster = self._roster()
        return [] if roster is None else roster.listed()

    def get_staff_history(self) -> list[Roster.Event]:
        """Every change to the staff, oldest first."""
        return list(self.events.get(Roster.ID))  # type: ignore[arg-type]

    def _roster(self) -> Roster | None:
        try:
            roster: Roster = self.repository.get(Roster.ID)
        except AggregateNotFoundError:
            return None
        return roster

    def _staff_card(self, name: str) -> StaffCard | None:
        for card_id in self._card_ids(name):
            try:
                card: StaffCard = self.repository.get(card_id)
            except AggregateNotFoundError:
                continue
            return card
        return None

    def _card_ids(self, name: str) -> list[UUID]:
        """Where `name`'s card may be: keyed by their person key, or (issued before person keys,
        or without them) by the name."""
        legacy = StaffCard.id_for(name)
        return [legacy] if self.card_ids is None else [self.card_ids(name), legacy]

    def _new_card_id(self, name: str) -> UUID | None:
        return None if self.card_ids is None else self.card_ids(name)

    # Queries.

    def get_story(self, slug: str, version: int | None = None) -> Story:
        """The story as it stands now, or as it stood at `version`."""
        try:
            with read_for_rules():  # the story's rules never read an update's words
                story: Story = self.repository.get(
                    Story.id_for(rules.valid_slug(slug)), version=version, projector_func=_fold_story
                )
        except AggregateNotFoundError:
            raise StoryNotFound(slug) from None
        assert isinstance(story, Story)
        return story

    def get_page(self, slug: str, version: int | None = None) -> Page:
        """The page as it stands now, or as it stood at `version`, folded from the story's events:
        the domain's answer, which the live-page read model must equal at every version."""
        from domain.page_fold import PageFold

        story_id = Story.id_for(rules.valid_slug(slug))
        fold = PageFold.of(self.events.get(story_id, lte=version))  # type: ignore[arg-type]
        if fold.version == 0:
            raise StoryNotFound(slug)
        return fold.page()

    def get_events(self, slug: str) -> list[Story.Event]:
        story_id = Story.id_for(rules.valid_slug(slug))
        events = list(self.events.get(story_id))
        if not events:
            raise StoryNotFound(slug)
        return events  # type: ignore[return-value]


@dataclass(frozen=True)
class _Done:
    """What a command gives back: its result (None: the story's new version) and an update's
    digests to save with the story."""

    result: int | None = None
    update: UpdateDigests | None = None

    @property
    def also(self) -> tuple[UpdateDigests, ...]:
        return () if self.update is None else (self.update,)
