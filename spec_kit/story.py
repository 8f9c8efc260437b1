"""Given/when/then for Story rules: a story's past as events, a command, and the events it records.

    past = given(
        event(Story.Opened),
        event(Story.UpdatePosted, title="Talks begin"),
        event(Story.UpdateRetracted, number=1, reason="Legal"),
    )
    outcome = past.when(
        lambda story, updates: story.revise_update(
            updates[1], title="New", reason="Typo", editor=EDITOR, at=T0
        )
    )
    outcome.then_refused(UpdateRetracted)

The past is built from events stated by class (`spec_kit.events.event`), never by running
today's commands: a story that an older rule allowed (and a newer one would refuse) can still be
given. `given` makes real, hash-chained `Story` events (versions 1..n, times from a clock, the
default editor) and folds them into the story and each update's `UpdateDigests`, as the
application keeps them. `then` compares the new events' types and fields (the editor and time only
where the expected event names them); `then_refused` checks the error and that nothing was
recorded. Failures raise `AssertionError` naming what differed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from eventsourcing.utils import get_topic

from domain.chain import GENESIS_HASH, sealing
from domain.story import Story
from domain.update_digests import UpdateDigests
from spec_kit.events import EDITOR, ENVELOPE, EventSpec, MinuteClock, check_refused, describe

_POSTS = (Story.UpdatePosted, Story.SubmissionApproved)
"""The events that post an update (numbered next)."""
Updates = Mapping[int, UpdateDigests]
Command = Callable[[Story, Updates], object]
E = TypeVar("E", bound=BaseException)


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
    """The past of a story: real events made from `past` (starting with `Story.Opened`), versions 1..n,
    hash-chained, timed by `clock` (one minute apart from `T0` by default) unless an event names
    its time, by `EDITOR` unless it names its editor."""
    if not past or past[0].event_class is not Story.Opened:
        raise ValueError("a story's past starts with event(Story.Opened)")
    clock = clock or MinuteClock()
    events: list[Story.Event] = []
    posted = 0
    for spec in past:
        event = _event(_numbered(spec, posted), events, clock)
        if isinstance(event, _POSTS):
            posted = event.number
        events.append(event)
    _folded(tuple(events))  # refuses a past the digests cannot follow, here rather than in `when`
    return Given(tuple(events))


def _numbered(spec: EventSpec, posted: int) -> EventSpec:
    """`spec` with `number` None made the next update's number if it posts one, else the latest's."""
    return spec.resolved(posted + 1 if spec.event_class in _POSTS else posted)


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
    if not issubclass(spec.event_class, Story.Event):
        raise ValueError(f"{spec.name} is not a story event (a roster's past is given_staff's)")
    if before and spec.event_class is Story.Opened:
        raise ValueError("a story is opened once: event(Story.Opened) must come first and only first")
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
        return cast(Story.Event, spec.event_class(**envelope, **spec.fields))


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
                f"QuoteCorrected(number={event.number}, quote={event.quote}): update {event.number} has "
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
    """The number the story's next update had before the command: where a post's `number` None counts from."""
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
        digests = [
            f"update {n}'s digests: {[type(e).__name__ for e in es]}" for n, es in self.digest_events.items()
        ]
        recorded = [_listed(self.events)] if self.events else []
        return check_refused(self.error, error_type, match, "; ".join(recorded + digests))

    def _numbered(self, expected: Sequence[EventSpec]) -> list[EventSpec]:
        numbered, posted = [], self.next_number - 1
        for spec in expected:
            numbered.append(_numbered(spec, posted))
            if spec.event_class in _POSTS:
                posted += 1
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
_UNDESCRIBED = ENVELOPE - {"role"} | {"hash", "salts"}
"""What a recorded event's description leaves out (its editor is added last)."""


def _described(event: Story.Event) -> str:
    fields = {k: v for k, v in vars(event).items() if k not in _UNDESCRIBED}
    return describe(type(event).__name__, {**fields, "editor": event.editor})


def _listed(events: Sequence[EventSpec | Story.Event]) -> str:
    if not events:
        return "no events"
    return "[" + ", ".join(repr(e) if isinstance(e, EventSpec) else _described(e) for e in events) + "]"


def _error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
