"""The staff roster: who works in the newsroom and under which roles, as events.

`Roster` is one aggregate (a fixed id) holding every member: each change is an event naming who
made it. `StaffCard` is a small derived aggregate per member (id from the person's key id, or
from the name on stores without person keys), saved in the same atomic write as the roster
event that changes that member, whose every event carries the member's roles after it: a
command's role check reads one row, the card's latest event, however large the roster or long
its history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import rules
from domain.admin_keys import keep_an_admin_key
from domain.chain import GENESIS_HASH, chained_content, draw_salts, hash_content
from domain.errors import (
    AlreadyOnStaff,
    InvalidInput,
    KeyAlreadyRegistered,
    KeyNotRegistered,
    LastAdmin,
    NoAdminYet,
    NothingToChange,
    StaffMemberNotFound,
)
from domain.roles import ADMIN, ROLES, valid_role
from domain.schedule import SCHEDULER
from domain.signing import PublicKey, StaffKey
from domain.staff_card import STAFF_NAMESPACE, StaffCard

__all__ = ["STAFF_NAMESPACE", "Roster", "StaffCard", "StaffMember"]


@dataclass(frozen=True)
class StaffMember:
    """A member of staff as `staff list` shows them."""

    name: str
    roles: tuple[str, ...]
    added_at: datetime
    added_by: str
    keys: tuple[str, ...] = ()
    """The fingerprints of their current keys."""


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
    head_hash: str | None = None
    """The hash of the roster's latest chained event (None: a roster from before it was chained)."""

    class Event(Aggregate.Event):
        """Every roster change names who made it and the role they made it under (None: the
        first admin, added while the store had none)."""

        editor: str
        role: str | None
        previous_hash: str | None = field(default=None, kw_only=True)
        hash: str | None = field(default=None, init=False)

        def __post_init__(self) -> None:
            super().__post_init__()
            # Names are sealed under each person's key (`staff erase`); the hash covers their
            # commitments, as a story event's does.
            draw_salts(self, ("editor", "name"))
            if self.previous_hash is None:  # only as a test states a past: unchained, as before
                vars(self).pop("previous_hash", None)
                vars(self).pop("hash", None)
            else:
                object.__setattr__(self, "hash", hash_content(chained_content(self)))

        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            if self.hash is not None:
                aggregate.head_hash = self.hash
            return aggregate

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

    class KeyRegistered(Event):
        """A member's SSH public key, valid from this version until its revocation. The key is in
        clear and stays so when the member is erased: what they signed still verifies."""

        name: str
        key: str

        def apply(self, roster: Roster) -> None:
            fingerprint = PublicKey.parse(self.key).fingerprint
            roster.key_ring[fingerprint] = [self.name, self.key, self.originator_version, None]

        @property
        def summary(self) -> str:
            return f"{self.name}'s key {PublicKey.parse(self.key).fingerprint} registered"

    class KeyRevoked(Event):
        """A member's key, no longer valid from this version on (lost, or rotated out)."""

        name: str
        key: str

        def apply(self, roster: Roster) -> None:
            held = roster.key_ring.get(PublicKey.parse(self.key).fingerprint)
            if held is not None:
                held[3] = self.originator_version

        @property
        def summary(self) -> str:
            return f"{self.name}'s key {PublicKey.parse(self.key).fingerprint} revoked"

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
        self.keys: dict[str, list[Any]] = {}
        """fingerprint -> [name, key, registered version, revoked version or None]."""

    @property
    def key_ring(self) -> dict[str, list[Any]]:
        """`keys`, also on a roster read from a snapshot taken before keys existed."""
        return vars(self).setdefault("keys", {})

    @classmethod
    def start(cls, *, editor: str, at: datetime) -> Roster:
        return cls._create(
            cls.Started, id=cls.ID, editor=rules.valid_editor(editor), role=None, timestamp=at,
            previous_hash=GENESIS_HASH,
        )  # fmt: skip

    # Reading.

    def roles_of(self, name: str) -> tuple[str, ...]:
        """The member's roles, or () if `name` is not on the staff."""
        member = self.members.get(name)
        return () if member is None else tuple(member[0])

    @property
    def admins(self) -> list[str]:
        return [name for name, (roles, *_) in self.members.items() if ADMIN in roles]

    def listed(self) -> list[StaffMember]:
        """Every member, by name, with their current keys' fingerprints."""
        return [
            StaffMember(name, _ordered(roles), added_at, added_by, self.current_keys(name))
            for name, (roles, added_at, added_by) in sorted(self.members.items())
        ]

    def staff_keys(self) -> list[StaffKey]:
        """Every key ever registered, in the order they were."""
        held = (
            StaffKey(fp, key, name, since, until) for fp, (name, key, since, until) in self.key_ring.items()
        )
        return sorted(held, key=lambda k: k.registered)

    def current_keys(self, name: str) -> tuple[str, ...]:
        """The fingerprints of `name`'s keys not revoked, in the order they were registered."""
        return tuple(k.fingerprint for k in self.staff_keys() if k.member == name and k.revoked is None)

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
        keys: Sequence[PublicKey] = (),
    ) -> StaffCard:
        """`card_id`: a new member's card's id (None: `StaffCard.id_for(name)`); `keys`: their
        public keys, registered in the same write."""
        name = rules.valid_editor(name)
        wanted = _ordered(valid_role(r) for r in roles)
        if not wanted:
            raise InvalidInput("a member of staff needs at least one role")
        if name in self.members:
            raise AlreadyOnStaff(name, self.roles_of(name))
        if not self.admins and ADMIN not in wanted:
            raise NoAdminYet(name)
        fresh = [self._unregistered(key) for key in dict.fromkeys(keys)]
        self._record(self.MemberAdded, editor, role, at, name=name, roles=wanted)
        for key in fresh:
            self._record(self.KeyRegistered, editor, role, at, name=name, key=key.openssh)
        return StaffCard.issued(name, wanted, card, at, card_id, self.current_keys(name))

    def register_key(
        self, name: str, key: PublicKey, card: StaffCard | None,
        *, editor: str, role: str | None, at: datetime,
    ) -> StaffCard | None:  # fmt: skip
        """Adds `key` to `name`'s keys (rotation, a second machine); a key is registered once.
        The system identity (the publisher, `SCHEDULER`) holds keys without being on the staff."""
        if name != SCHEDULER:
            self._member(name)
        self._unregistered(key)
        self._record(self.KeyRegistered, editor, role, at, name=name, key=key.openssh)
        return None if card is None and name == SCHEDULER else self._keys_on(card, name, at)

    def revoke_key(
        self, name: str, key: PublicKey, card: StaffCard | None,
        *, editor: str, role: str | None, at: datetime,
    ) -> StaffCard | None:  # fmt: skip
        """Ends `key`'s validity from this version on (lost, or rotated out)."""
        if name != SCHEDULER:
            self._member(name)
        if key.fingerprint not in self.current_keys(name):
            raise KeyNotRegistered(key.fingerprint, name)
        keep_an_admin_key(self, name, keeps=tuple(k for k in self.current_keys(name) if k != key.fingerprint))
        self._record(self.KeyRevoked, editor, role, at, name=name, key=key.openssh)
        return None if card is None and name == SCHEDULER else self._keys_on(card, name, at)

    def _keys_on(self, card: StaffCard | None, name: str, at: datetime) -> StaffCard:
        return _held(card).changed(self.roles_of(name), at, self.current_keys(name))

    def _unregistered(self, key: PublicKey) -> PublicKey:
        held = self.key_ring.get(key.fingerprint)
        if held is not None:
            raise KeyAlreadyRegistered(key.fingerprint, held[0], held[3])
        return key

    def grant(
        self, name: str, granted: str, card: StaffCard | None, *, editor: str, role: str | None, at: datetime
    ) -> StaffCard:
        held = self._member(name)
        granted = valid_role(granted)
        if granted in held:
            raise NothingToChange(f"{name} already holds the {granted} role")
        self._record(self.RoleGranted, editor, role, at, name=name, granted=granted)
        return _held(card).changed(self.roles_of(name), at, self.current_keys(name))

    def revoke(
        self, name: str, revoked: str, card: StaffCard | None, *, editor: str, role: str | None, at: datetime
    ) -> StaffCard:
        held = self._member(name)
        revoked = valid_role(revoked)
        if revoked not in held:
            raise NothingToChange(f"{name} does not hold the {revoked} role")
        if revoked == ADMIN and self.admins == [name]:
            raise LastAdmin(name)
        if revoked == ADMIN:
            keep_an_admin_key(self, name, keeps=())
        if held == (revoked,):
            raise InvalidInput(f"{revoked} is {name}'s only role: remove them from the staff instead")
        self._record(self.RoleRevoked, editor, role, at, name=name, revoked=revoked)
        return _held(card).changed(self.roles_of(name), at, self.current_keys(name))

    def remove(
        self, name: str, card: StaffCard | None, *, editor: str, role: str | None, at: datetime
    ) -> StaffCard:
        held = self._member(name)
        if ADMIN in held and self.admins == [name]:
            raise LastAdmin(name)
        keep_an_admin_key(self, name, keeps=())
        self._record(self.MemberRemoved, editor, role, at, name=name)
        return _held(card).changed((), at)

    def _member(self, name: str) -> tuple[str, ...]:
        if name not in self.members:
            raise StaffMemberNotFound(name)
        return self.roles_of(name)

    def _record(
        self, event_class: type[Event], editor: str, role: str | None, at: datetime, **fields: Any
    ) -> None:
        self.trigger_event(
            event_class, editor=rules.valid_editor(editor), role=role, timestamp=at,
            previous_hash=self.head_hash or GENESIS_HASH, **fields,
        )  # fmt: skip


def _held(card: StaffCard | None) -> StaffCard:
    assert card is not None, "every member of the roster has a card, saved with the roster"
    return card
