"""The Story aggregate: a live blog's headline, status and numbered updates, and its events.

Its events and commands are declared by family, each event beside its meaning: the story's own
(`story_header.py`), updates (`story_updates.py`), submissions (`story_submissions.py`),
scheduling (`story_schedule.py`) and takedowns (`story_takedowns.py`). This module assembles them:
every event is `Story.<Name>`, and is stored under that name (`domain/story_event.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, TypeAlias
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain import number_runs, rules
from domain import story_header as header
from domain import story_schedule as schedule
from domain import story_submissions as submissions
from domain import story_takedowns as takedowns
from domain import story_updates as updates
from domain.blocks import quotes_in
from domain.chain import GENESIS_HASH
from domain.story_event import StoryEvent
from domain.story_header import HeaderCommands, valid_standfirst
from domain.story_ids import story_id_for
from domain.story_schedule import ScheduleCommands
from domain.story_state import CLOSED, DRAFT, LIVE
from domain.story_submissions import SubmissionCommands
from domain.story_takedowns import TakedownCommands

__all__ = ["CLOSED", "DEFAULT_TIME_ZONE", "DRAFT", "LIVE", "STORY_TOPICS", "Story"]

DEFAULT_TIME_ZONE = "UTC"
"""Where a story shows its times until an editor names its own zone."""


class Story(HeaderCommands, SubmissionCommands, ScheduleCommands, TakedownCommands, Aggregate):
    """A live blog. Public methods check the rules, then record one or more events; each family's
    are on its `...Commands` class, and the state they decide on is `StoryState`'s.

    The state is what the rules decide on and stays small however long the story grows: the
    number of updates, which are retracted, which are key events, the pinned one. What a revision
    or a quote correction is compared with (digests of an update's words) lives in one
    `UpdateDigests` aggregate per update, loaded only by the command that concerns it.
    `PageFold` (domain/page_fold.py) folds the whole page from the same events.
    """

    class_version = 5
    """Of the snapshots' state: version 1 held whole updates (bodies, bylines, corrections),
    version 2 a row of facts per update (titles and quotes in words), version 3 only counts and
    numbers (the words' digests moved to `UpdateDigests`); version 4 adds the time zone, the
    submissions' count and the pending ones (number, submitter, and the versions of their first and
    latest words); version 5 holds the updates posted sealed as runs of consecutive numbers, not
    one number per post, and no longer where each sealed update's earlier words stood (read off
    the events at a takedown)."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["updates"] = [
            [u.number, u.title, None, [[q.text, q.attribution] for _, q in quotes_in(u.body)],
             u.key_event, u.retracted]
            for u in state["updates"]
        ]  # fmt: skip

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """The rows' words are dropped: an update with no `UpdateDigests` yet is given one, made
        from its folded words, by the first command that needs it (`Newsroom`)."""
        rows = state.pop("updates")
        state["update_count"] = len(rows)
        state["retracted"] = [number for number, *_, retracted in rows if retracted]
        state["key_events"] = [number for number, *_, key_event, _ in rows if key_event]

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        """Stories before time zones were shown in UTC, and had no submissions."""
        state["time_zone"] = DEFAULT_TIME_ZONE
        state["submission_count"] = 0
        state["pending"] = []

    @staticmethod
    def upcast_v4_v5(state: dict[str, Any]) -> None:
        """The updates posted sealed, one number each, become runs (a snapshot taken before any
        update was sealed has none: the class default); the earlier words of each sealed update
        posted from them (`word_sources`) are no longer kept: they are read off the events."""
        state.pop("word_sources", None)
        if "sealed_updates" in state:
            state["sealed_updates"] = number_runs.runs_of(state["sealed_updates"])

    Event: TypeAlias = StoryEvent

    # The events, by family (each declared, with its meaning, in its family's module). Each is
    # stored as `domain.story:Story.<Name>`: a stored event's class keeps its name for good.
    Opened = header.Opened
    HeadlineChanged = header.HeadlineChanged
    StandfirstChanged = header.StandfirstChanged
    TimeZoneChanged = header.TimeZoneChanged
    Published = header.Published
    Closed = header.Closed
    Reopened = header.Reopened

    UpdatePosted = updates.UpdatePosted
    UpdateRevised = updates.UpdateRevised
    QuoteCorrected = updates.QuoteCorrected
    UpdateRetracted = updates.UpdateRetracted
    UpdatePinned = updates.UpdatePinned
    UpdateUnpinned = updates.UpdateUnpinned
    KeyEventMarked = updates.KeyEventMarked
    KeyEventUnmarked = updates.KeyEventUnmarked

    UpdateSubmitted = submissions.UpdateSubmitted
    SubmissionRevised = submissions.SubmissionRevised
    SubmissionWithdrawn = submissions.SubmissionWithdrawn
    SubmissionRejected = submissions.SubmissionRejected
    SubmissionApproved = submissions.SubmissionApproved

    UpdateScheduled = schedule.UpdateScheduled
    UpdateRescheduled = schedule.UpdateRescheduled
    PublicationScheduled = schedule.PublicationScheduled

    UpdateTakenDown = takedowns.UpdateTakenDown
    SubmissionTakenDown = takedowns.SubmissionTakenDown
    ScheduledPostTakenDown = takedowns.ScheduledPostTakenDown

    EVENT_CLASSES: ClassVar[tuple[type[StoryEvent], ...]] = ()
    """Every event a story records, in the order above."""

    def __init__(self, slug: str, headline: str, standfirst: str | None) -> None:
        self.slug = slug
        self.headline = headline
        self.standfirst = standfirst
        self.status = DRAFT
        self.update_count = 0
        self.retracted: list[int] = []
        self.key_events: list[int] = []
        self.pinned: int | None = None
        self.time_zone = DEFAULT_TIME_ZONE
        self.head_hash = GENESIS_HASH
        self.submission_count = 0
        self.pending: list[list[Any]] = []

    @staticmethod
    def id_for(slug: str) -> UUID:
        """Stories are found by slug: the id is derived from it, so a slug can be used once."""
        return story_id_for(slug)

    @classmethod
    def open(
        cls,
        slug: str,
        headline: str,
        standfirst: str | None,
        *,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> Story:
        rules.valid_slug(slug)
        return cls._create(
            header.Opened,
            id=cls.id_for(slug),
            slug=slug,
            headline=rules.valid_line("headline", headline, rules.HEADLINE_MAX),
            standfirst=valid_standfirst(standfirst),
            editor=rules.valid_editor(editor),
            previous_hash=GENESIS_HASH,
            timestamp=at,
            role=role,
        )

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        super().trigger_event(event_class, previous_hash=self.head_hash, **kwargs)


Story.EVENT_CLASSES = tuple(
    value
    for value in vars(Story).values()
    if isinstance(value, type)
    and issubclass(value, StoryEvent)
    # The library adds a default "Created" class beside ours; only Opened is ever recorded.
    and value not in (StoryEvent, getattr(Story, "Created", None))
)
STORY_TOPICS: frozenset[str] = frozenset(get_topic(cls) for cls in Story.EVENT_CLASSES)
"""The stored topics of the story's chained events: what audits and read models read, passing
over every other aggregate's (update digests, command requests)."""
