"""No lock-out: on a roster with keys every roster change is signed by an admin's current key, so
given the roster's past, when a change would leave no admin holding one, then `LastAdminKey` and
nothing recorded; otherwise the change is made as before."""

from __future__ import annotations

import pytest

from domain.errors import LastAdminKey
from domain.signing import PublicKey
from domain.staff import Roster
from spec_kit import T0, event, given_staff
from tests.support.ssh_keys import KeyShelf

AS_ROOT = {"editor": "root", "role": "admin", "at": T0}
ROOT = event(Roster.MemberAdded, name="root", roles=("admin",), role=None)
ANN_ADMIN = event(Roster.MemberAdded, name="ann", roles=("editor", "admin"))


def key(ssh_keys: KeyShelf, name: str) -> PublicKey:
    return PublicKey.parse(ssh_keys(name).line)


def registered(ssh_keys: KeyShelf, member: str, name: str | None = None):  # type: ignore[no-untyped-def]
    return event(Roster.KeyRegistered, name=member, key=key(ssh_keys, name or member).openssh)


def test_revoking_the_last_admin_s_last_key_is_refused(ssh_keys: KeyShelf) -> None:
    root = key(ssh_keys, "root")

    error = (
        given_staff(ROOT, registered(ssh_keys, "root"))
        .when(lambda roster, cards: roster.revoke_key("root", root, cards.get("root"), **AS_ROOT))
        .then_refused(LastAdminKey, match="root is the last admin with a key")
    )

    assert (error.name, error.fingerprints) == ("root", (root.fingerprint,))


def test_the_last_admin_with_a_key_may_revoke_one_of_two(ssh_keys: KeyShelf) -> None:
    old = key(ssh_keys, "root")

    outcome = (
        given_staff(ROOT, registered(ssh_keys, "root"), registered(ssh_keys, "root", "root-laptop"))
        .when(lambda roster, cards: roster.revoke_key("root", old, cards["root"], **AS_ROOT))
        .then(event(Roster.KeyRevoked, name="root", key=old.openssh, editor="root", role="admin"))
    )

    assert outcome.roster.current_keys("root") == (key(ssh_keys, "root-laptop").fingerprint,)


def test_an_admin_s_last_key_may_go_while_another_admin_holds_one(ssh_keys: KeyShelf) -> None:
    root = key(ssh_keys, "root")

    (
        given_staff(ROOT, registered(ssh_keys, "root"), ANN_ADMIN, registered(ssh_keys, "ann"))
        .when(lambda roster, cards: roster.revoke_key("root", root, cards["root"], **AS_ROOT))
        .then(event(Roster.KeyRevoked, name="root", key=root.openssh, editor="root", role="admin"))
    )


def test_removing_the_last_admin_who_holds_a_key_is_refused(ssh_keys: KeyShelf) -> None:
    # ann is an admin too, but holds no key: she could not sign the next change.
    (
        given_staff(ROOT, registered(ssh_keys, "root"), ANN_ADMIN)
        .when(lambda roster, cards: roster.remove("root", cards["root"], editor="ann", role="admin", at=T0))
        .then_refused(LastAdminKey, match="no one could sign a change to the staff")
    )


def test_revoking_the_admin_role_of_the_last_admin_who_holds_a_key_is_refused(ssh_keys: KeyShelf) -> None:
    (
        given_staff(ROOT, ANN_ADMIN, registered(ssh_keys, "ann"))
        .when(lambda roster, cards: roster.revoke("ann", "admin", cards["ann"], **AS_ROOT))
        .then_refused(LastAdminKey, match="ann is the last admin with a key")
    )


def test_an_admin_without_a_key_may_go_while_another_holds_one(ssh_keys: KeyShelf) -> None:
    (
        given_staff(ROOT, ANN_ADMIN, registered(ssh_keys, "ann"))
        .when(lambda roster, cards: roster.remove("root", cards["root"], editor="ann", role="admin", at=T0))
        .then(event(Roster.MemberRemoved, name="root", editor="ann", role="admin"))
    )


@pytest.mark.parametrize("change", ["remove", "revoke"])
def test_a_roster_whose_admins_hold_no_key_keeps_its_old_rules(ssh_keys: KeyShelf, change: str) -> None:
    # Only a member who is not an admin holds a key: no admin could sign before the change either.
    given = given_staff(ROOT, ANN_ADMIN, event(Roster.MemberAdded, name="bob", roles=("editor",)),
                        registered(ssh_keys, "bob"))  # fmt: skip
    if change == "remove":
        given.when(
            lambda roster, cards: roster.remove("root", cards["root"], editor="ann", role="admin", at=T0)
        ).then(event(Roster.MemberRemoved, name="root", editor="ann", role="admin"))
    else:
        given.when(lambda roster, cards: roster.revoke("ann", "admin", cards["ann"], **AS_ROOT)).then(
            event(Roster.RoleRevoked, name="ann", revoked="admin", editor="root", role="admin")
        )
