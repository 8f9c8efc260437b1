"""`StoryState`: what a story remembers to decide on, and the checks its families' commands share.

`Story` (`domain/story.py`) sets it when a story opens; the events of every family change it. It
stays small however long the story grows: counts, numbers and who submitted what, never words.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain import number_runs, rules
from domain.blocks import Block
from domain.chain import is_sealed
from domain.errors import InvalidInput, UpdateAlreadyTakenDown, UpdateNotFound, UpdateRetracted, WrongStatus
from domain.story_event import StoryEvent
from domain.update_digests import UpdateDigests

DRAFT, LIVE, CLOSED = "draft", "live", "closed"


class StoryState:
    """The state of a story that its rules decide on (the page itself is `PageFold`'s)."""

    slug: str
    headline: str
    standfirst: str | None
    status: str
    update_count: int
    retracted: list[int]
    key_events: list[int]
    pinned: int | None
    time_zone: str
    head_hash: str
    submission_count: int
    pending: list[list[Any]]
    """[number, submitter, first version, latest version] of each pending submission."""

    sealed_updates: list[list[int]] | tuple[list[int], ...] = ()
    """Updates posted sealed, which a takedown can shred, as runs of consecutive numbers
    (`domain/number_runs.py`: one run when every update was; a class default, older snapshots
    lack it)."""
    taken_down: list[int] | tuple[int, ...] = ()
    """Updates taken down: frozen, their words shredded (a class default, as above)."""
    earlier_taken_down: list[list[Any]] | tuple[list[Any], ...] = ()
    """["submission" or "scheduled", its number] of each submission or scheduled post whose words
    were taken down on their own (`take_down_earlier_words`; a class default, as above)."""
    scheduled_count: int = 0
    """Posts ever scheduled (numbered apart from updates); class defaults, as above."""
    scheduled: list[list[Any]] | tuple[list[Any], ...] = ()
    """[number, publish_at, version of its words] of each post waiting for its time."""
    publish_at: datetime | None = None
    """When a draft is to be published by the publisher, if it is scheduled."""

    if TYPE_CHECKING:  # given by the library's `Aggregate`, which `Story` is

        @property
        def id(self) -> UUID: ...

        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _record(
        self, event_class: type[StoryEvent], editor: str, at: datetime, role: str | None = None, **fields: Any
    ) -> None:
        self.trigger_event(event_class, editor=rules.valid_editor(editor), timestamp=at, role=role, **fields)

    def require_update(self, number: int) -> None:
        """Refuses a number that is not one of the story's updates (retracted ones included)."""
        if not 1 <= number <= self.update_count:
            raise UpdateNotFound(self.slug, number, self.update_count)

    def _not_retracted(self, number: int) -> None:
        self.require_update(number)
        if number in self.taken_down:
            raise UpdateAlreadyTakenDown(self.slug, number)
        if number in self.retracted:
            raise UpdateRetracted(self.slug, number)

    def posted_sealed(self, number: int) -> bool:
        """Whether update `number` was posted sealed, so a takedown can shred its words."""
        return number_runs.holds(self.sealed_updates, number)

    def _changeable(self, update: UpdateDigests) -> int:
        assert update.story_id == self.id, "the digests of another story's update"
        self._not_retracted(update.number)
        return update.number

    def _posted(self, event: Any) -> None:
        """Update `event.number` posted (`UpdatePosted`, `SubmissionApproved`): counted, noted as
        sealed and as a key event. Where its words stood before, if anywhere, the story's events
        say (`earlier_words.words_before`): the state keeps nothing per post."""
        self.update_count = event.number
        if is_sealed(event):
            self.sealed_updates = number_runs.adding(self.sealed_updates, event.number)
        if event.key_event:
            self.key_events.append(event.number)

    def _new_words(
        self, doing: str, title: str, byline: str | None, body: tuple[Block, ...]
    ) -> tuple[str, str | None, tuple[Block, ...]]:
        """The words of a new post, submission or scheduled post, checked: not on a closed story
        ("reopen it before `doing` updates"), a title, an optional byline and a body."""
        if self.status == CLOSED:
            raise WrongStatus(self.slug, self.status, f"reopen it before {doing} updates")
        title = rules.valid_line("title", title, rules.TITLE_MAX)
        byline = rules.optional_line("byline", byline, rules.BYLINE_MAX)
        return title, byline, valid_body(body)


def valid_body(body: tuple[Block, ...]) -> tuple[Block, ...]:
    if not body:
        raise InvalidInput("the body is empty: give the update some text")
    return tuple(body)
