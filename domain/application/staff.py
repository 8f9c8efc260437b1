"""The staff and erasures. Every change is made on the roster by an admin (or, while the store has
none, by anyone adding the first admin) and saved with the member's card in one atomic write."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain import rules
from domain.application.base import NewsroomBase
from domain.chain import sealing
from domain.commands import command, running
from domain.errors import StaffBusy
from domain.roles import ADMIN, Badge
from domain.signing import PublicKey, Signatures, StaffKey
from domain.staff import Roster, StaffCard, StaffMember

if TYPE_CHECKING:
    # Imported where used: only erasures need it, and a write process imports what it runs.
    from domain.erasure import Erasures


class StaffCommands(NewsroomBase):
    """Who is on the staff with which roles, and the names erased from the record."""

    @command("add_staff", ADMIN, action="add staff")
    def add_staff(
        self, name: str, roles: Sequence[str], *, editor: str, keys: Sequence[PublicKey] = ()
    ) -> None:
        """Adds `name` to the staff with `roles` and their public `keys`; the first member must be
        an admin."""
        self._change_staff(
            name, editor,
            lambda roster, card, at, role: roster.add(
                name, roles, card, editor=editor, role=role, at=at, card_id=self._new_card_id(name),
                keys=keys,
            ),
        )  # fmt: skip

    @command("add_staff_key", ADMIN, action="register staff keys")
    def add_staff_key(self, name: str, key: PublicKey, *, editor: str) -> None:
        """Registers one more public key of `name`'s, valid from now until it is revoked."""
        self._change_staff(
            name, editor,
            lambda roster, card, at, by: roster.register_key(name, key, card, editor=editor, role=by, at=at),
        )  # fmt: skip

    @command("revoke_staff_key", ADMIN, action="revoke staff keys")
    def revoke_staff_key(self, name: str, key: PublicKey, *, editor: str) -> None:
        """Ends the validity of one of `name`'s keys from now on (lost, or rotated out)."""
        self._change_staff(
            name, editor,
            lambda roster, card, at, by: roster.revoke_key(name, key, card, editor=editor, role=by, at=at),
        )  # fmt: skip

    @command("grant_role", ADMIN, action="grant roles")
    def grant_role(self, name: str, role: str, *, editor: str) -> None:
        """Gives `name` one more role."""
        self._change_staff(
            name, editor,
            lambda roster, card, at, by: roster.grant(name, role, card, editor=editor, role=by, at=at),
        )  # fmt: skip

    @command("revoke_role", ADMIN, action="revoke roles")
    def revoke_role(self, name: str, role: str, *, editor: str) -> None:
        """Takes one of `name`'s roles away; the staff always keeps an admin."""
        self._change_staff(
            name, editor,
            lambda roster, card, at, by: roster.revoke(name, role, card, editor=editor, role=by, at=at),
        )  # fmt: skip

    @command("remove_staff", ADMIN, action="remove staff")
    def remove_staff(self, name: str, *, editor: str) -> None:
        """Takes `name` off the staff."""
        self._change_staff(
            name, editor,
            lambda roster, card, at, by: roster.remove(name, card, editor=editor, role=by, at=at),
        )  # fmt: skip

    @command("erase_person", ADMIN, action="erase a person's name")
    def erase_person(self, name: str, *, request: str, editor: str) -> None:
        """Records the erasure of `name` under `request` (an admin's, once the store has one),
        taking them off the staff in the same write if they are on it. The store then destroys
        their key (`infrastructure.erasure`): everywhere the name was recorded it reads erased."""
        from domain.erasure import Erasures

        name = rules.valid_editor(name)
        role = self.authorise(editor, running())

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
        name: str,
        editor: str,
        change: Callable[[Roster, StaffCard | None, datetime, str | None], StaffCard | None],
    ) -> None:
        """Checks that `editor` may make the command being made (`running()`: an admin; anyone while
        there is none, the roster then starting with this change), runs `change` and saves the
        roster with the member's card; another change saved first makes it run again on a fresh
        read."""
        declared = running()
        name = rules.valid_editor(name)

        def attempt() -> None:
            at = self.clock()
            roster = self._roster()
            if roster is None:
                with sealing(self.salts):
                    roster, role = Roster.start(editor=editor, at=at), None
            else:
                role = Badge(rules.valid_editor(editor), frozenset(roster.roles_of(editor))).role_for(
                    declared
                )
            keys_before = roster.current_keys(editor)
            with sealing(self.salts):
                card = change(roster, self._staff_card(name), at, role)
            began = self._signed_by(editor, roster, keys_before, at)
            self.save(roster, card, *began)

        self._until_saved(attempt, lambda: StaffBusy(self.retry.attempts))

    def _signed_by(
        self, editor: str, roster: Roster, keys_before: tuple[str, ...], at: datetime
    ) -> list[Signatures]:
        """Signs the roster change being saved, on a store that signs, with one of `editor`'s keys
        as they were before it; a change that registers the store's first key begins signing, and
        is signed with one of `editor`'s keys as it leaves them (the first admin signs their own
        addition: the root of trust). Returns the `Signatures` to save with it, if it begins."""
        signatures = self.get_signatures()
        if signatures is not None:
            self._sign_as(editor, keys_before, signatures.namespace)
            return []
        if not roster.key_ring:
            return []  # a roster without keys signs nothing, as before keys existed
        change = roster.pending_events
        began = Signatures.begin(
            self.store_ids(), (change[0].originator_version, change[-1].originator_version), at
        )
        self._sign_as(editor, roster.current_keys(editor), began.namespace)
        return [began]

    def get_staff(self) -> list[StaffMember]:
        """Every member of staff, by name; none while the store has no admin."""
        roster = self._roster()
        return [] if roster is None else roster.listed()

    def get_staff_keys(self) -> list[StaffKey]:
        """Every key ever registered on the roster (erased members' too), oldest first."""
        roster = self._roster()
        return [] if roster is None else roster.staff_keys()

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

    def _new_card_id(self, name: str) -> UUID | None:
        return None if self.card_ids is None else self.card_ids(name)
