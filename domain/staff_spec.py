"""Given/when/then for the staff roster, as `domain.spec` is for stories.

    given_staff(member_added("ann", "admin"), member_added("bob", "editor")).when(
        lambda roster, cards: roster.revoke("ann", "admin", cards["ann"], editor="ann", role="admin", at=T0)
    ).then_refused(LastAdmin)

The past is the roster's events, made by one factory per event (the roster's `Started` comes
first by itself), folded into the roster and each member's card. `then` compares the roster's new
events (types and fields; the editor and role where named) and the cards' roles after them;
`then_refused` checks the error and that neither the roster nor any card recorded anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from eventsourcing.utils import get_topic

from domain.spec import T0, MinuteClock
from domain.staff import Roster, StaffCard

__all__ = [
    "ADMIN_NAME",
    "GivenStaff",
    "StaffEventSpec",
    "StaffOutcome",
    "given_staff",
    "member_added",
    "member_removed",
    "role_granted",
    "role_revoked",
]

ADMIN_NAME = "root"
"""Who makes every given change that names no one (as an admin)."""
E = TypeVar("E", bound=BaseException)
Cards = Mapping[str, StaffCard]


@dataclass(frozen=True)
class StaffEventSpec:
    """One roster event as a test states it."""

    event_class: type[Roster.Event]
    fields: Mapping[str, Any]
    editor: str | None = None
    role: str | None = None

    def expected(self) -> dict[str, Any]:
        named = {"editor": self.editor, "role": self.role}
        return {**self.fields, **{k: v for k, v in named.items() if v is not None}}

    def __repr__(self) -> str:
        return f"{self.event_class.__name__}({', '.join(f'{k}={v!r}' for k, v in self.expected().items())})"


def member_added(
    name: str, *roles: str, editor: str | None = None, role: str | None = None
) -> StaffEventSpec:
    return StaffEventSpec(Roster.MemberAdded, {"name": name, "roles": tuple(roles)}, editor, role)


def role_granted(
    name: str, granted: str, *, editor: str | None = None, role: str | None = None
) -> StaffEventSpec:
    return StaffEventSpec(Roster.RoleGranted, {"name": name, "granted": granted}, editor, role)


def role_revoked(
    name: str, revoked: str, *, editor: str | None = None, role: str | None = None
) -> StaffEventSpec:
    return StaffEventSpec(Roster.RoleRevoked, {"name": name, "revoked": revoked}, editor, role)


def member_removed(name: str, *, editor: str | None = None, role: str | None = None) -> StaffEventSpec:
    return StaffEventSpec(Roster.MemberRemoved, {"name": name}, editor, role)


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


def given_staff(*past: StaffEventSpec, clock: Callable[[], datetime] | None = None) -> GivenStaff:
    """A roster started by `ADMIN_NAME` with the changes `past` (none: no admin yet), one minute apart."""
    clock = clock or MinuteClock(T0)
    start: dict[str, Any] = {"originator_topic": get_topic(Roster), "editor": ADMIN_NAME, "role": None}
    events: list[Roster.Event] = [Roster.Started(**_envelope(1, clock), **start)]
    for spec in past:
        done_by: dict[str, Any] = {"editor": spec.editor or ADMIN_NAME, "role": spec.role or "admin"}
        events.append(spec.event_class(**_envelope(len(events) + 1, clock), **done_by, **spec.fields))
    return GivenStaff(tuple(events))


def _envelope(version: int, clock: Callable[[], datetime]) -> dict[str, Any]:
    return {"originator_id": Roster.ID, "originator_version": version, "timestamp": clock()}


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

    def then(
        self, *expected: StaffEventSpec, roles: Mapping[str, tuple[str, ...]] | None = None
    ) -> StaffOutcome:
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
        if not isinstance(self.error, error_type):
            raise AssertionError(
                f"expected {error_type.__name__}, got {self.error!r} (recorded {self.events})"
            )
        if match is not None and not re.search(match, str(self.error)):
            raise AssertionError(f"the {error_type.__name__} says {str(self.error)!r}, not {match!r}")
        if self.events or self.card_events:
            raise AssertionError(f"refused, but recorded {self.events} and cards {self.card_events}")
        return self.error
