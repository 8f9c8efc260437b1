"""Given/when/then for Story rules: a story's past as events, a command, and the events it records.

    past = given(opened(), update_posted(title="Talks begin"), update_retracted(1, reason="Legal"))
    outcome = past.when(
        lambda story, updates: story.revise_update(
            updates[1], title="New", reason="Typo", editor=EDITOR, at=T0
        )
    )
    outcome.then_refused(UpdateRetracted)

The past is built from small event factories, one per `Story` event class, never by running
today's commands: a story that an older rule allowed (and a newer one would refuse) can still be
given. `given` makes real, hash-chained `Story` events (versions 1..n, times from a clock, the
default editor) and folds them into the story and each update's `UpdateDigests`, as the
application keeps them. `then` compares the new events' types and fields (the editor and time only
where the expected event names them); `then_refused` checks the error and that nothing was
recorded. Failures raise `AssertionError` naming what differed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from eventsourcing.utils import get_topic

from domain.blocks import Block
from domain.chain import GENESIS_HASH, sealing
from domain.markdown_body import parse_body
from domain.story import Story
from domain.update_digests import UpdateDigests

__all__ = [
    "EDITOR",
    "SLUG",
    "T0",
    "EventSpec",
    "Given",
    "MinuteClock",
    "Outcome",
    "closed",
    "given",
    "headline_changed",
    "key_event_marked",
    "key_event_unmarked",
    "opened",
    "posted_on_schedule",
    "publication_scheduled",
    "published",
    "quote_corrected",
    "reopened",
    "standfirst_changed",
    "time_zone_changed",
    "submission_approved",
    "submission_rejected",
    "submission_revised",
    "submission_withdrawn",
    "update_pinned",
    "update_posted",
    "update_retracted",
    "update_taken_down",
    "update_revised",
    "update_rescheduled",
    "update_scheduled",
    "update_submitted",
    "update_unpinned",
    "when",
]

T0 = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)
SLUG = "syria-summit"
EDITOR = "ann"
"""The editor of every given event that names none."""

_POSTS = (Story.UpdatePosted, Story.SubmissionApproved)
"""The events that post an update (numbered next)."""
Updates = Mapping[int, UpdateDigests]
Command = Callable[[Story, Updates], object]
Body = str | Sequence[Block]
"""Markdown (parsed as an editor's would be) or the blocks themselves."""
E = TypeVar("E", bound=BaseException)


class MinuteClock:
    """The default clock: starts at `start` and moves on one minute each time it is read."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        moment, self.now = self.now, self.now + timedelta(minutes=1)
        return moment


# The events, as a test states them.


@dataclass(frozen=True)
class EventSpec:
    """One story event as a test states it: its class and fields, and its editor and time if named.

    `number` None (only for `update_posted` and `submission_approved`) means the story's next
    update number.
    """

    event_class: type[Story.Event]
    fields: Mapping[str, Any]
    editor: str | None = None
    at: datetime | None = None
    role: str | None = None
    """The role it was done under (`under`); None: none, as in a store with no admin."""
    sealed: bool = False
    """Made sealed, as a store with encryption makes it (`domain.chain.sealing`)."""

    @property
    def name(self) -> str:
        return self.event_class.__name__

    def resolved(self, next_number: int) -> EventSpec:
        """This event with `number` None made the story's next update number."""
        if "number" not in self.fields or self.fields["number"] is not None:
            return self
        return replace(self, fields={**self.fields, "number": next_number})

    def under(self, role: str) -> EventSpec:
        """This event done under `role` (a store with an admin records it): `published().under("editor")`."""
        return replace(self, role=role)

    def expected(self) -> dict[str, Any]:
        """The fields `then` compares: every field, and the editor, time and role where they are named."""
        named = {"editor": self.editor, "timestamp": self.at, "role": self.role}
        return {**self.fields, **{k: v for k, v in named.items() if v is not None}}

    def __repr__(self) -> str:
        return _describe(self.name, self.expected())


def _spec(
    event_class: type[Story.Event], editor: str | None, at: datetime | None, **fields: Any
) -> EventSpec:
    return EventSpec(event_class, fields, editor, at)


def _blocks(body: Body | None) -> tuple[Block, ...] | None:
    if body is None:
        return None
    return parse_body(body) if isinstance(body, str) else tuple(body)


def opened(
    headline: str = "Syria summit",
    standfirst: str | None = None,
    *,
    slug: str = SLUG,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    return _spec(Story.Opened, editor, at, slug=slug, headline=headline, standfirst=standfirst)


def headline_changed(
    headline: str, reason: str = "Fresher", *, editor: str | None = None, at: datetime | None = None
) -> EventSpec:
    return _spec(Story.HeadlineChanged, editor, at, headline=headline, reason=reason)


def standfirst_changed(
    standfirst: str | None, *, editor: str | None = None, at: datetime | None = None
) -> EventSpec:
    return _spec(Story.StandfirstChanged, editor, at, standfirst=standfirst)


def time_zone_changed(time_zone: str, *, editor: str | None = None, at: datetime | None = None) -> EventSpec:
    return _spec(Story.TimeZoneChanged, editor, at, time_zone=time_zone)


def published(
    *,
    scheduled_for: datetime | None = None,
    late: bool = False,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    """With `scheduled_for`: the publisher's publication of a scheduled draft."""
    if scheduled_for is None:
        return _spec(Story.Published, editor, at)
    return _spec(Story.Published, editor, at, scheduled_for=scheduled_for, late=late)


def closed(*, editor: str | None = None, at: datetime | None = None) -> EventSpec:
    return _spec(Story.Closed, editor, at)


def reopened(*, editor: str | None = None, at: datetime | None = None) -> EventSpec:
    return _spec(Story.Reopened, editor, at)


def update_posted(
    number: int | None = None,
    title: str = "An update",
    body: Body = "Some news.",
    *,
    byline: str | None = None,
    key_event: bool = False,
    sealed: bool = False,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    """`number` None: the story's next one; `sealed`: posted with its words encrypted."""
    fields = {"number": number, "title": title, "byline": byline, "body": _blocks(body)}
    fields["key_event"] = key_event
    return EventSpec(Story.UpdatePosted, fields, editor, at, sealed=sealed)


def posted_on_schedule(
    scheduled: int,
    scheduled_for: datetime,
    number: int | None = None,
    title: str = "A scheduled post",
    body: Body = "Some news.",
    *,
    late: bool = False,
    key_event: bool = False,
    sealed: bool = False,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    """The publisher's post of scheduled post `scheduled` (`number` None: the story's next);
    `sealed`: posted with its words encrypted."""
    fields: dict[str, Any] = {
        "number": number,
        "title": title,
        "byline": None,
        "body": _blocks(body),
        "key_event": key_event,
    }
    fields.update(scheduled=scheduled, scheduled_for=scheduled_for, late=late)
    return EventSpec(Story.UpdatePosted, fields, editor, at, sealed=sealed)


def update_scheduled(
    scheduled: int = 1,
    title: str = "A scheduled post",
    body: Body = "Some news.",
    *,
    publish_at: datetime,
    byline: str | None = None,
    key_event: bool = False,
    editor: str | None = None,
    at: datetime | None = None,
    sealed: bool = False,
) -> EventSpec:
    """`sealed`: scheduled with its words encrypted."""
    fields = dict(
        scheduled=scheduled, title=title, byline=byline, body=_blocks(body), key_event=key_event,
        publish_at=publish_at,
    )  # fmt: skip
    return EventSpec(Story.UpdateScheduled, fields, editor, at, sealed=sealed)


def update_rescheduled(
    scheduled: int, publish_at: datetime | None, *, editor: str | None = None, at: datetime | None = None
) -> EventSpec:
    """`publish_at` None: unscheduled."""
    return _spec(Story.UpdateRescheduled, editor, at, scheduled=scheduled, publish_at=publish_at)


def publication_scheduled(
    publish_at: datetime | None, *, editor: str | None = None, at: datetime | None = None
) -> EventSpec:
    """`publish_at` None: the scheduled publication cancelled."""
    return _spec(Story.PublicationScheduled, editor, at, publish_at=publish_at)


def update_revised(
    number: int,
    title: str | None = None,
    body: Body | None = None,
    reason: str = "Fix",
    *,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    """`title` or `body` None: kept as it was."""
    return _spec(
        Story.UpdateRevised, editor, at, number=number, title=title, body=_blocks(body), reason=reason
    )


def quote_corrected(
    number: int,
    quote: int,
    text: str | None = None,
    attribution: str | None = None,
    note: str = "Corrected",
    *,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    """`quote` is 1-based; `text` or `attribution` None: kept; `attribution` "": removed."""
    return _spec(
        Story.QuoteCorrected, editor, at,
        number=number, quote=quote, text=text, attribution=attribution, note=note,
    )  # fmt: skip


def update_retracted(
    number: int, reason: str = "Legal advice", *, editor: str | None = None, at: datetime | None = None
) -> EventSpec:
    return _spec(Story.UpdateRetracted, editor, at, number=number, reason=reason)


def update_taken_down(
    number: int,
    order: str = "Court order 1",
    note: str = "Removed by court order.",
    *,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    return _spec(Story.UpdateTakenDown, editor, at, number=number, order=order, note=note)


def submission_taken_down(
    submission: int = 1,
    order: str = "Court order 1",
    note: str = "Removed by court order.",
    *,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    return _spec(Story.SubmissionTakenDown, editor, at, submission=submission, order=order, note=note)


def scheduled_post_taken_down(
    scheduled: int = 1,
    order: str = "Court order 1",
    note: str = "Removed by court order.",
    *,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    return _spec(Story.ScheduledPostTakenDown, editor, at, scheduled=scheduled, order=order, note=note)


def update_pinned(number: int, *, editor: str | None = None, at: datetime | None = None) -> EventSpec:
    return _spec(Story.UpdatePinned, editor, at, number=number)


def update_unpinned(number: int, *, editor: str | None = None, at: datetime | None = None) -> EventSpec:
    return _spec(Story.UpdateUnpinned, editor, at, number=number)


def key_event_marked(number: int, *, editor: str | None = None, at: datetime | None = None) -> EventSpec:
    return _spec(Story.KeyEventMarked, editor, at, number=number)


def key_event_unmarked(number: int, *, editor: str | None = None, at: datetime | None = None) -> EventSpec:
    return _spec(Story.KeyEventUnmarked, editor, at, number=number)


def update_submitted(
    submission: int = 1,
    title: str = "A submission",
    body: Body = "Some news.",
    *,
    byline: str | None = None,
    editor: str | None = None,
    at: datetime | None = None,
    sealed: bool = False,
) -> EventSpec:
    """`sealed`: submitted with its words encrypted."""
    fields = dict(submission=submission, title=title, byline=byline, body=_blocks(body))
    return EventSpec(Story.UpdateSubmitted, fields, editor, at, sealed=sealed)


def submission_revised(
    submission: int = 1,
    title: str = "A submission",
    body: Body = "Some news.",
    *,
    byline: str | None = None,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    """The submission's words, whole, as the revision leaves them."""
    return _spec(
        Story.SubmissionRevised,
        editor,
        at,
        submission=submission,
        title=title,
        byline=byline,
        body=_blocks(body),
    )


def submission_withdrawn(
    submission: int = 1, *, editor: str | None = None, at: datetime | None = None
) -> EventSpec:
    return _spec(Story.SubmissionWithdrawn, editor, at, submission=submission)


def submission_rejected(
    submission: int = 1, reason: str = "Not for us", *, editor: str | None = None, at: datetime | None = None
) -> EventSpec:
    return _spec(Story.SubmissionRejected, editor, at, submission=submission, reason=reason)


def submission_approved(
    submission: int = 1,
    number: int | None = None,
    title: str = "A submission",
    body: Body = "Some news.",
    *,
    byline: str | None = None,
    key_event: bool = False,
    submitted_by: str = EDITOR,
    sealed: bool = False,
    editor: str | None = None,
    at: datetime | None = None,
) -> EventSpec:
    """`number` None: the story's next update number; `sealed`: approved with its words encrypted."""
    fields = {
        "submission": submission, "number": number, "title": title, "byline": byline,
        "body": _blocks(body), "key_event": key_event, "submitted_by": submitted_by,
    }  # fmt: skip
    return EventSpec(Story.SubmissionApproved, fields, editor, at, sealed=sealed)


# Given: the past, as real events.


@dataclass(frozen=True)
class Given:
    """A story's past, as the events the store would hold. Each `when` starts from them afresh."""

    events: tuple[Story.Event, ...]

    @property
    def story(self) -> Story:
        """The story folded from the events."""
        return _folded(self.events)[0]

    @property
    def updates(self) -> dict[int, UpdateDigests]:
        """Each update's digests, by number, as the application keeps them beside the story."""
        return _folded(self.events)[1]

    def when(self, command: Command) -> Outcome:
        """Runs `command(story, updates)` (`updates[n]`: update n's digests) and keeps what it records."""
        story, updates = _folded(self.events)
        return _run(lambda: command(story, updates), story, updates)


def given(*past: EventSpec, clock: Callable[[], datetime] | None = None) -> Given:
    """The past of a story: real events made from `past` (starting with `opened`), versions 1..n,
    hash-chained, timed by `clock` (one minute apart from `T0` by default) unless an event names
    its time, by `EDITOR` unless it names its editor."""
    if not past or past[0].event_class is not Story.Opened:
        raise ValueError("a story's past starts with opened(...)")
    clock = clock or MinuteClock()
    events: list[Story.Event] = []
    posted = 0
    for spec in past:
        event = _event(spec.resolved(posted + 1), events, clock)
        if isinstance(event, _POSTS):
            posted = event.number
        events.append(event)
    _folded(tuple(events))  # refuses a past the digests cannot follow, here rather than in `when`
    return Given(tuple(events))


def _folded(events: tuple[Story.Event, ...]) -> tuple[Story, dict[int, UpdateDigests]]:
    story: Any = None
    updates: dict[int, UpdateDigests] = {}
    for event in events:
        story = event.mutate(story)
        _keep_digests(updates, event)
    for update in updates.values():
        update.collect_events()  # the past is saved: only a command's own events are new
    return story, updates


def _event(spec: EventSpec, before: list[Story.Event], clock: Callable[[], datetime]) -> Story.Event:
    if before and spec.event_class is Story.Opened:
        raise ValueError("a story is opened once: opened(...) must come first and only first")
    envelope: dict[str, Any] = {
        "originator_version": len(before) + 1,
        "timestamp": spec.at or clock(),
        "editor": spec.editor or EDITOR,
        "previous_hash": before[-1].hash if before else GENESIS_HASH,
        "role": spec.role,
    }
    if spec.event_class is Story.Opened:
        envelope.update(originator_id=Story.id_for(spec.fields["slug"]), originator_topic=get_topic(Story))
    else:
        envelope.update(originator_id=before[0].originator_id)
    with sealing(_SpecSalts() if spec.sealed else None):
        return spec.event_class(**envelope, **spec.fields)


class _SpecSalts:
    """Salts for the events a test gives sealed: fixed, so the same past hashes the same."""

    def __init__(self) -> None:
        self.drawn = 0

    def __call__(self) -> str:
        self.drawn += 1
        return f"spec-salt-{self.drawn}"


def _keep_digests(updates: dict[int, UpdateDigests], event: Any) -> None:
    """Each update's digests follow its events, as the application saves them beside the story's."""
    if isinstance(event, _POSTS):
        story_id, number, at = event.originator_id, event.number, event.timestamp
        updates[number] = UpdateDigests.posted(story_id, number, event.title, event.body, at)
    elif isinstance(event, Story.UpdateRevised):
        _digests_of(updates, event).revised(event.title, event.body, at=event.timestamp)
    elif isinstance(event, Story.QuoteCorrected):
        update = _digests_of(updates, event)
        if not 1 <= event.quote <= len(update.quotes):
            raise ValueError(
                f"quote_corrected({event.number}, {event.quote}): update {event.number} has "
                f"{len(update.quotes)} quotes"
            )
        update.quote_corrected(event.quote, event.text, event.attribution, at=event.timestamp)


def _digests_of(updates: dict[int, UpdateDigests], event: Any) -> UpdateDigests:
    if event.number not in updates:
        raise ValueError(f"{type(event).__name__} of update {event.number}, which was never posted")
    return updates[event.number]


# When and then.


def when(command: Callable[[], object]) -> Outcome:
    """A command with no past, such as `Story.open(...)`: the new story's events are what it records."""
    return _run(command, None, {})


def _run(command: Callable[[], object], story: Story | None, updates: dict[int, UpdateDigests]) -> Outcome:
    next_number = story.update_count + 1 if story is not None else 1
    try:
        result = command()
    except Exception as error:  # kept for then_refused; then reports it
        return Outcome(story, updates, next_number, error=error)
    if isinstance(result, Story):
        story = result
    if isinstance(result, UpdateDigests):
        updates = {**updates, result.number: result}
    return Outcome(story, updates, next_number, result=result)


@dataclass
class Outcome:
    """What a command did: the events it recorded (the story's and the digests'), or its error."""

    story: Story | None
    updates: Mapping[int, UpdateDigests]
    next_number: int
    """The number the story's next update had before the command: where `update_posted()` counts from."""
    result: object = None
    error: Exception | None = None
    events: list[Story.Event] = field(init=False)
    """The story events the command recorded."""
    digest_events: dict[int, list[UpdateDigests.Event]] = field(init=False)
    """The digests' events it recorded, by update number (updates with none left out)."""

    def __post_init__(self) -> None:
        self.events = cast(list[Story.Event], self.story.collect_events() if self.story else [])
        digests = {
            number: cast(list[UpdateDigests.Event], u.collect_events()) for number, u in self.updates.items()
        }
        self.digest_events = {number: events for number, events in digests.items() if events}

    def then(self, *expected: EventSpec) -> Outcome:
        """Asserts the command recorded exactly `expected`, in order."""
        __tracebackhide__ = True
        if self.error is not None:
            raise AssertionError(
                f"expected {_listed(expected)}\nbut the command was refused: {_error(self.error)}"
            ) from self.error
        wanted = self._numbered(expected)
        problems = [
            p for i in range(max(len(wanted), len(self.events))) for p in self._differences(i, wanted)
        ]
        if problems:
            raise AssertionError(
                "the command recorded other events than expected:\n"
                + "\n".join(problems)
                + f"\nexpected {_listed(wanted)}\nrecorded {_listed(self.events)}"
            )
        return self

    def then_refused(self, error_type: type[E], match: str | None = None) -> E:
        """Asserts the command raised `error_type` (its message matching the regex `match`) and
        recorded nothing; returns the error, for its facts."""
        __tracebackhide__ = True
        if self.error is None:
            raise AssertionError(
                f"expected {error_type.__name__}, but the command was not refused: "
                f"it recorded {_listed(self.events)}"
            )
        if not isinstance(self.error, error_type):
            raise AssertionError(f"expected {error_type.__name__}, but it raised {_error(self.error)}")
        if match is not None and not re.search(match, str(self.error)):
            raise AssertionError(
                f"the {error_type.__name__} says {str(self.error)!r}, which does not match {match!r}"
            )
        if self.events or self.digest_events:
            digests = [
                f"update {n}'s digests: {[type(e).__name__ for e in es]}"
                for n, es in self.digest_events.items()
            ]
            recorded = [_listed(self.events)] if self.events else []
            raise AssertionError(
                f"refused with {error_type.__name__}, but recorded {'; '.join(recorded + digests)}"
            )
        return self.error

    def _numbered(self, expected: Sequence[EventSpec]) -> list[EventSpec]:
        numbered, next_number = [], self.next_number
        for spec in expected:
            numbered.append(spec.resolved(next_number))
            if spec.event_class in _POSTS:
                next_number += 1
        return numbered

    def _differences(self, index: int, wanted: list[EventSpec]) -> list[str]:
        place = f"  event {index + 1}:"
        if index >= len(self.events):
            return [f"{place} expected {wanted[index]!r}, but nothing more was recorded"]
        event = self.events[index]
        if index >= len(wanted):
            return [f"{place} not expected, but recorded {_described(event)}"]
        spec = wanted[index]
        if type(event) is not spec.event_class:
            return [f"{place} expected {spec.name}, recorded {type(event).__name__}"]
        return [
            f"{place} {spec.name}.{name}: expected {value!r}, recorded {getattr(event, name, '(none)')!r}"
            for name, value in spec.expected().items()
            if getattr(event, name, _MISSING) != value
        ]


_MISSING = object()
_ENVELOPE = (
    "originator_id", "originator_version", "timestamp", "originator_topic", "previous_hash", "hash", "salts",
)  # fmt: skip


def _described(event: Story.Event) -> str:
    fields = {k: v for k, v in vars(event).items() if k not in _ENVELOPE and k != "editor"}
    return _describe(type(event).__name__, {**fields, "editor": event.editor})


def _describe(name: str, fields: Mapping[str, Any]) -> str:
    return f"{name}({', '.join(f'{k}={v!r}' for k, v in fields.items())})"


def _listed(events: Sequence[EventSpec | Story.Event]) -> str:
    if not events:
        return "no events"
    return "[" + ", ".join(repr(e) if isinstance(e, EventSpec) else _described(e) for e in events) + "]"


def _error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
