"""The staff roster: who works in the newsroom and under which roles, as events.

`Roster` is one aggregate (a fixed id) holding every member: each change is an event naming who
made it. `StaffCard` is a small derived aggregate per member (id from the person's key id, or
from the name on stores without person keys), saved in the same atomic write as the roster
event that changes that member, whose every event carries the member's roles after it: a
command's role check reads one row, the card's latest event, however large the roster or long
its history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import rules
from domain.chain import draw_salts
from domain.errors import (
    AlreadyOnStaff,
    InvalidInput,
    LastAdmin,
    NoAdminYet,
    NothingToChange,
    StaffMemberNotFound,
)
from domain.roles import ADMIN, ROLES, valid_role

STAFF_NAMESPACE = uuid5(NAMESPACE_URL, "https://newsroom.invalid/staff/")


@dataclass(frozen=True)
class StaffMember:
    """A member of staff as `staff list` shows them."""

    name: str
    roles: tuple[str, ...]
    added_at: datetime
    added_by: str


def _ordered(roles: Iterable[str]) -> tuple[str, ...]:
    held = set(roles)
    return tuple(role for role in ROLES if role in held)


class Roster(Aggregate):
    """The staff and their roles. Public methods check the rules, then record.

    Rules: the first member must be an admin (until then there is no roster in force and anyone
    may do anything); the last admin can neither be removed nor lose the role. Who may change the
    roster (an admin, or anyone while there is none) is checked by the application with `Badge`.
    State: each member's roles and when and by whom they were added.
    """

    ID = uuid5(STAFF_NAMESPACE, "roster")

    class Event(Aggregate.Event):
        """Every roster change names who made it and the role they made it under (None: the
        first admin, added while the store had none)."""

        editor: str
        role: str | None

        def __post_init__(self) -> None:
            super().__post_init__()
            # Names are sealed under each person's key (`staff erase`); the roster is not chained.
            draw_salts(self, ("editor", "name"))

        @property
        def member(self) -> str | None:
            """The member the change concerns (None: the roster's start)."""
            return getattr(self, "name", None)

        @property
        def summary(self) -> str:
            """What changed, in words: the staff history's line."""
            raise NotImplementedError

    class Started(Event, Aggregate.Created):
        """The roster begins, with the first admin added in the same write."""

        @property
        def summary(self) -> str:
            return "Staff roster started"

    class MemberAdded(Event):
        name: str
        roles: tuple[str, ...]

        def apply(self, roster: Roster) -> None:
            roster.members[self.name] = [list(self.roles), self.timestamp, self.editor]

        @property
        def summary(self) -> str:
            return f"{self.name} added as {', '.join(self.roles)}"

    class RoleGranted(Event):
        name: str
        granted: str

        def apply(self, roster: Roster) -> None:
            if self.name in roster.members:  # not so for an erased member's events, read back
                roles = roster.members[self.name][0]
                roster.members[self.name][0] = list(_ordered([*roles, self.granted]))

        @property
        def summary(self) -> str:
            return f"{self.name} granted {self.granted}"

    class RoleRevoked(Event):
        name: str
        revoked: str

        def apply(self, roster: Roster) -> None:
            roles = roster.members.get(self.name, [[]])[0]
            if self.revoked in roles:
                roles.remove(self.revoked)

        @property
        def summary(self) -> str:
            return f"{self.name} no longer {self.revoked}"

    class MemberRemoved(Event):
        name: str

        def apply(self, roster: Roster) -> None:
            roster.members.pop(self.name, None)

        @property
        def summary(self) -> str:
            return f"{self.name} removed from the staff"

    def __init__(self, editor: str, role: str | None) -> None:
        self.members: dict[str, list[Any]] = {}
        """name -> [roles, added_at, added_by]: plain values, so snapshots need no transcoding."""

    @classmethod
    def start(cls, *, editor: str, at: datetime) -> Roster:
        return cls._create(cls.Started, id=cls.ID, editor=rules.valid_editor(editor), role=None, timestamp=at)

    # Reading.

    def roles_of(self, name: str) -> tuple[str, ...]:
        """The member's roles, or () if `name` is not on the staff."""
        member = self.members.get(name)
        return () if member is None else tuple(member[0])

    @property
    def admins(self) -> list[str]:
        return [name for name, (roles, *_) in self.members.items() if ADMIN in roles]

    def listed(self) -> list[StaffMember]:
        """Every member, by name."""
        return [
            StaffMember(name, _ordered(roles), added_at, added_by)
            for name, (roles, added_at, added_by) in sorted(self.members.items())
        ]

    # Commands: each returns the member's card, to be saved with the roster.

    def add(
        self,
        name: str,
        roles: Iterable[str],
        card: StaffCard | None,
        *,
        editor: str,
        role: str | None,
        at: datetime,
        card_id: UUID | None = None,
    ) -> StaffCard:
        """`card_id`: a new member's card's id (None: `StaffCard.id_for(name)`)."""
        name = rules.valid_editor(name)
        wanted = _ordered(valid_role(r) for r in roles)
        if not wanted:
            raise InvalidInput("a member of staff needs at least one role")
        if name in self.members:
            raise AlreadyOnStaff(name, self.roles_of(name))
        if not self.admins and ADMIN not in wanted:
            raise NoAdminYet(name)
        self._record(self.MemberAdded, editor, role, at, name=name, roles=wanted)
        return StaffCard.issued(name, wanted, card, at, card_id)

    def grant(
        self, name: str, granted: str, card: StaffCard | None, *, editor: str, role: str | None, at: datetime
    ) -> StaffCard:
        held = self._member(name)
        granted = valid_role(granted)
        if granted in held:
            raise NothingToChange(f"{name} already holds the {granted} role")
        self._record(self.RoleGranted, editor, role, at, name=name, granted=granted)
        return _held(card).changed(self.roles_of(name), at)

    def revoke(
        self, name: str, revoked: str, card: StaffCard | None, *, editor: str, role: str | None, at: datetime
    ) -> StaffCard:
        held = self._member(name)
        revoked = valid_role(revoked)
        if revoked not in held:
            raise NothingToChange(f"{name} does not hold the {revoked} role")
        if revoked == ADMIN and self.admins == [name]:
            raise LastAdmin(name)
        if held == (revoked,):
            raise InvalidInput(f"{revoked} is {name}'s only role: remove them from the staff instead")
        self._record(self.RoleRevoked, editor, role, at, name=name, revoked=revoked)
        return _held(card).changed(self.roles_of(name), at)

    def remove(
        self, name: str, card: StaffCard | None, *, editor: str, role: str | None, at: datetime
    ) -> StaffCard:
        held = self._member(name)
        if ADMIN in held and self.admins == [name]:
            raise LastAdmin(name)
        self._record(self.MemberRemoved, editor, role, at, name=name)
        return _held(card).changed((), at)

    def _member(self, name: str) -> tuple[str, ...]:
        if name not in self.members:
            raise StaffMemberNotFound(name)
        return self.roles_of(name)

    def _record(
        self, event_class: type[Event], editor: str, role: str | None, at: datetime, **fields: Any
    ) -> None:
        self.trigger_event(event_class, editor=rules.valid_editor(editor), role=role, timestamp=at, **fields)


def _held(card: StaffCard | None) -> StaffCard:
    assert card is not None, "every member of the roster has a card, saved with the roster"
    return card


class StaffCard(Aggregate):
    """One member's roles now: what every command's role check reads.

    Derived from the roster's events and saved with them, unchained like `UpdateDigests`. Every
    event carries the whole set of roles after it (empty: no longer on the staff), so the latest
    event alone answers. Id: `keyed_id` with person keys, else `id_for(NAME)`.
    """

    class Issued(Aggregate.Created):
        name: str
        roles: tuple[str, ...]

        def __post_init__(self) -> None:
            super().__post_init__()
            draw_salts(self, ("name",))

    class Changed(Aggregate.Event):
        roles: tuple[str, ...]

        def apply(self, card: StaffCard) -> None:
            card.roles = tuple(self.roles)

    def __init__(self, name: str, roles: tuple[str, ...]) -> None:
        self.name = name
        self.roles = tuple(roles)

    @staticmethod
    def id_for(name: str) -> UUID:
        """The id of a card issued by a store without person keys: derived from the name alone, so
        anyone with a list of names can test it (`keyed_id` is not)."""
        return uuid5(STAFF_NAMESPACE, f"member/{name}")

    @staticmethod
    def keyed_id(person_key: str) -> UUID:
        """The id of a card issued by a store with person keys: from the id of the person's key
        (an HMAC of the name under a secret in the key store), not from the name."""
        return uuid5(STAFF_NAMESPACE, f"member-key/{person_key}")

    @classmethod
    def issued(
        cls,
        name: str,
        roles: tuple[str, ...],
        card: StaffCard | None,
        at: datetime,
        card_id: UUID | None = None,
    ) -> StaffCard:
        """The card of a member just added: a new one (id `card_id`, else `id_for(name)`), or
        theirs from before, if they were removed."""
        if card is not None:
            return card.changed(roles, at)
        card_id = card_id or cls.id_for(name)
        return cls._create(cls.Issued, id=card_id, name=name, roles=roles, timestamp=at)

    def changed(self, roles: tuple[str, ...], at: datetime) -> StaffCard:
        self.trigger_event(self.Changed, roles=roles, timestamp=at)
        return self
