"""Given/when/then for the staff roster, as `spec_kit.story` is for stories.

    given_staff(
        event(Roster.MemberAdded, name="ann", roles=("admin",)),
        event(Roster.MemberAdded, name="bob", roles=("editor",)),
    ).when(
        lambda roster, cards: roster.revoke("ann", "admin", cards["ann"], editor="ann", role="admin", at=T0)
    ).then_refused(LastAdmin)

The past is the roster's events, stated by class (`spec_kit.events.event`; the roster's `Started`
comes first by itself), folded into the roster and each member's card. `then` compares the
roster's new events (types and fields; the editor, time and role where named) and the cards'
roles after them; `then_refused` checks the error and that neither the roster nor any card
recorded anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from eventsourcing.utils import get_topic

from domain.staff import Roster, StaffCard
from spec_kit.events import T0, EventSpec, MinuteClock, check_refused

ADMIN_NAME = "root"
"""Who makes every given change that names no one (as an admin)."""
E = TypeVar("E", bound=BaseException)
Cards = Mapping[str, StaffCard]


@dataclass(frozen=True)
class GivenStaff:
    """The roster's past, as the events the store would hold (its `Started` first)."""

    events: tuple[Roster.Event, ...]

    def when(self, command: Callable[[Roster, Cards], object]) -> StaffOutcome:
        """Runs `command(roster, cards)` (`cards[name]`: a member's card, held or removed)."""
        roster, cards = _folded(self.events)
        try:
            result = command(roster, cards)
        except Exception as error:  # kept for then_refused; then reports it
            return StaffOutcome(roster, cards, error=error)
        if isinstance(result, StaffCard) and result.name not in cards:
            cards = {**cards, result.name: result}
        return StaffOutcome(roster, cards)


def given_staff(*past: EventSpec, clock: Callable[[], datetime] | None = None) -> GivenStaff:
    """A roster started by `ADMIN_NAME` with the changes `past` (none: no admin yet), one minute apart."""
    clock = clock or MinuteClock(T0)
    start: dict[str, Any] = {"originator_topic": get_topic(Roster), "editor": ADMIN_NAME, "role": None}
    events: list[Roster.Event] = [Roster.Started(**_envelope(1, clock()), **start)]
    for spec in past:
        if not issubclass(spec.event_class, Roster.Event):
            raise ValueError(f"{spec.name} is not a roster event (a story's past is given's)")
        done_by: dict[str, Any] = {"editor": spec.editor or ADMIN_NAME, "role": spec.role or "admin"}
        envelope = _envelope(len(events) + 1, spec.at or clock())
        events.append(cast(Roster.Event, spec.event_class(**envelope, **done_by, **spec.fields)))
    return GivenStaff(tuple(events))


def _envelope(version: int, at: datetime) -> dict[str, Any]:
    return {"originator_id": Roster.ID, "originator_version": version, "timestamp": at}


def _folded(events: tuple[Roster.Event, ...]) -> tuple[Roster, dict[str, StaffCard]]:
    roster: Any = None
    cards: dict[str, StaffCard] = {}
    for event in events:
        roster = event.mutate(roster)
        name = event.member
        if name is not None:
            card = StaffCard.issued(name, roster.roles_of(name), cards.get(name), event.timestamp)
            cards[name] = card
    for card in cards.values():
        card.collect_events()  # the past is saved: only a command's own events are new
    return roster, cards


@dataclass
class StaffOutcome:
    """What a roster command did: its events and the cards' new roles, or its error."""

    roster: Roster
    cards: Mapping[str, StaffCard]
    error: Exception | None = None
    events: list[Roster.Event] = field(init=False)
    card_events: dict[str, list[Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.events = list(self.roster.collect_events())  # type: ignore[arg-type]
        collected: dict[str, list[Any]] = {
            name: list(card.collect_events()) for name, card in self.cards.items()
        }
        self.card_events = {name: events for name, events in collected.items() if events}

    def then(self, *expected: EventSpec, roles: Mapping[str, tuple[str, ...]] | None = None) -> StaffOutcome:
        """Asserts the command recorded exactly `expected`, and (if given) each card's roles after it."""
        __tracebackhide__ = True
        if self.error is not None:
            raise AssertionError(f"expected {list(expected)}, but the command was refused: {self.error}")
        recorded = [
            (type(e), {k: getattr(e, k, None) for k in s.expected()})
            for e, s in zip(self.events, expected, strict=False)
        ]
        wanted = [(s.event_class, s.expected()) for s in expected]
        if len(self.events) != len(expected) or recorded != wanted:
            raise AssertionError(f"expected {list(expected)}\nrecorded {[vars(e) for e in self.events]}")
        for name, held in (roles or {}).items():
            assert tuple(self.cards[name].roles) == held, f"{name}'s card holds {self.cards[name].roles}"
            assert name in self.card_events, f"{name}'s card recorded nothing"
        return self

    def then_refused(self, error_type: type[E], match: str | None = None) -> E:
        """Asserts the command raised `error_type` and recorded nothing, on the roster or any card."""
        __tracebackhide__ = True
        recorded = f"{self.events} and cards {self.card_events}" if self.events or self.card_events else ""
        return check_refused(self.error, error_type, match, recorded)
