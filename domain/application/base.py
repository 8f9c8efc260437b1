"""What every command of the Newsroom application shares: the store's wiring, the permission check,
request records, and the change base that reads a story, runs a command's rules, saves its events
and runs it again on a fresh read when another writer saved first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProjectorFunction,
    project_aggregate,
)
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, Transcoding
from eventsourcing.utils import EnvType

from domain import rules
from domain.application.signing import SignedSaves
from domain.chain import SaltSource, read_for_rules, sealing
from domain.clock import Clock, utc_now
from domain.commands import Command, running
from domain.errors import RequestIdReused, StoryBusy, StoryNotFound, VersionConflict
from domain.roles import Badge
from domain.signing import Signatures, SignerSources
from domain.staff import Roster, StaffCard
from domain.story import Story
from domain.update import DigestKeys, keyed_digests
from domain.update_digests import UpdateDigests

if TYPE_CHECKING:
    # Imported where used: only some commands need them, and a write process imports what it runs.
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


class NewsroomBase(SignedSaves, Application[UUID]):
    """The application's wiring and the change base its families of commands share (`Newsroom`)."""

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
        self.signers: SignerSources | None = None
        """Where the keys are that a store which signs needs (`infrastructure.signers.Signers`)."""
        self.store_ids: Callable[[], str] = lambda: str(uuid4())
        """A store's id, drawn when it begins to sign (its signatures' namespace)."""
        self._signatures: Signatures | None = None
        """The store's `Signatures`, once seen: a store that signs always will."""

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

    def _story_event(self, story_id: UUID, version: int) -> Any:
        """The story's event at `version` (one row)."""
        return next(iter(self.events.get(story_id, gt=version - 1, lte=version)))

    def _change(
        self,
        slug: str,
        editor: str,
        request_id: str | None,
        command: Callable[[Story, datetime, str | None], Done | None],
        *,
        expect_version: int | None = None,
    ) -> int:
        """Runs `command`, the rules of the command being made (`running()`), on the story and
        saves its events (and those of the update digests the command changed) atomically.

        Returns the command's result (an update number) or else the story's new version.
        On a version conflict the command is run again on a fresh read, where its rules are
        checked again; a command made against an expected version is refused instead. Before
        anything, the editor's roles are checked (`authorise`): `command` is given the role it is
        done under, which its events record.
        """
        declared = running()
        role = self.authorise(editor, declared)

        def attempt() -> int:
            request = self._previous_request(request_id, declared.id, slug)
            if request is not None:
                return request.result
            story = self.get_story(slug)
            if expect_version is not None and story.version != expect_version:
                raise VersionConflict(slug, expect_version, story.version)
            at = self.clock()
            with self.sealing_words():
                done = command(story, at, role) or Done()
            result = story.version if done.result is None else done.result
            with sealing(self.salts):
                requests = self._request_record(request_id, declared.id, slug, result, editor, at)
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

    # Requests. Each command takes an optional request id: a command repeated under the same id
    # appends nothing and returns the first result. The request records the command by its
    # declared id (`domain.commands`), which never follows a rename of the method.

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

    # The permission check: the roster as the store has it now.

    def authorise(self, editor: str, command: Command) -> str | None:
        """The role `editor` makes `command` under (None: the store has no admin, so no roster
        is in force), read from the store as it is now; refuses a command their roles do not allow.
        On a store that signs, the command's events will be signed by one of `editor`'s current
        keys, or it is refused (`signing_key`)."""
        badge = self.get_badge(editor)
        role = badge.role_for(command)
        signatures = self.get_signatures() if badge.roles is not None else None
        if signatures is not None:
            self._sign_as(badge.name, badge.keys, signatures.namespace)
        return role

    def get_badge(self, name: str) -> Badge:
        """`name` and their roles now: whether the store has a roster at all (one row, asked only
        until it has one: a roster is never undone), then their card's latest event (one row)."""
        name = rules.valid_editor(name)
        if not self._has_roster():
            return Badge(name, None)
        for card_id in self._card_ids(name):
            latest = next(self.events.get(card_id, desc=True, limit=1), None)
            if latest is not None:
                card: Any = latest
                return Badge(name, frozenset(card.roles), tuple(getattr(card, "keys", ())))
        return Badge(name, frozenset())

    def _has_roster(self) -> bool:
        if not self._roster_seen:
            self._roster_seen = next(self.events.get(Roster.ID, limit=1), None) is not None
        return self._roster_seen

    def _card_ids(self, name: str) -> list[UUID]:
        """Where `name`'s card may be: keyed by their person key, or (issued before person keys,
        or without them) by the name."""
        legacy = StaffCard.id_for(name)
        return [legacy] if self.card_ids is None else [self.card_ids(name), legacy]

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


@dataclass(frozen=True)
class Done:
    """What a command's rules give back: its result (None: the story's new version) and an update's
    digests to save with the story."""

    result: int | None = None
    update: UpdateDigests | None = None

    @property
    def also(self) -> tuple[UpdateDigests, ...]:
        return () if self.update is None else (self.update,)
