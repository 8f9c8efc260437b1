"""The staff's keys on the roster: given the roster's past, when a key is registered or revoked,
then exactly these events, or this error and nothing; and a key's fingerprint, as ssh-keygen says."""

from __future__ import annotations

import re
import subprocess

import pytest

from domain.errors import InvalidInput, KeyAlreadyRegistered, KeyNotRegistered, KeyTypeNotAccepted
from domain.signing import PublicKey
from domain.staff import Roster
from spec_kit import T0, event, given_staff
from tests.support.ssh_keys import KeyShelf

AS_ROOT = {"editor": "root", "role": "admin", "at": T0}
WITH_ADMIN = (event(Roster.MemberAdded, name="root", roles=("admin",), role=None),)
BOB = event(Roster.MemberAdded, name="bob", roles=("editor",))


def key(ssh_keys: KeyShelf, name: str) -> PublicKey:
    return PublicKey.parse(ssh_keys(name).line)


def test_a_fingerprint_is_what_ssh_keygen_prints(ssh_keys: KeyShelf) -> None:
    printed = subprocess.run(
        ["ssh-keygen", "-lf", str(ssh_keys("ann").public)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()[1]

    assert key(ssh_keys, "ann").fingerprint == printed


def test_the_roster_keeps_the_key_without_its_comment(ssh_keys: KeyShelf) -> None:
    parsed = key(ssh_keys, "ann")

    assert ssh_keys("ann").line.endswith("ann@newsroom.test")
    assert parsed.openssh == ssh_keys("ann").openssh
    assert PublicKey.parse(parsed.openssh) == parsed


def test_a_key_of_another_type_is_refused_by_its_type(ssh_keys: KeyShelf) -> None:
    with pytest.raises(KeyTypeNotAccepted, match="a ssh-rsa key cannot sign here: only Ed25519"):
        PublicKey.parse(ssh_keys("rsa", "rsa").line)


@pytest.mark.parametrize(
    "line",
    ["", "ssh-ed25519", "ssh-ed25519 not-base64!", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", "x" * 2000],
)
def test_what_is_not_an_ed25519_key_is_refused(line: str) -> None:
    with pytest.raises(InvalidInput):
        PublicKey.parse(line)


def test_adding_a_member_with_a_key_registers_it_in_the_same_change(ssh_keys: KeyShelf) -> None:
    bob = key(ssh_keys, "bob")

    outcome = (
        given_staff(*WITH_ADMIN)
        .when(lambda roster, cards: roster.add("bob", ["editor"], None, **AS_ROOT, keys=[bob]))
        .then(
            event(Roster.MemberAdded, name="bob", roles=("editor",), editor="root", role="admin"),
            event(Roster.KeyRegistered, name="bob", key=bob.openssh, editor="root", role="admin"),
        )
    )

    assert outcome.roster.current_keys("bob") == (bob.fingerprint,)
    assert [(k.member, k.registered, k.revoked) for k in outcome.roster.staff_keys()] == [("bob", 4, None)]


def test_a_member_may_hold_several_keys(ssh_keys: KeyShelf) -> None:
    first, second = key(ssh_keys, "bob"), key(ssh_keys, "bob-laptop")

    outcome = (
        given_staff(*WITH_ADMIN, BOB, event(Roster.KeyRegistered, name="bob", key=first.openssh))
        .when(lambda roster, cards: roster.register_key("bob", second, cards["bob"], **AS_ROOT))
        .then(event(Roster.KeyRegistered, name="bob", key=second.openssh, editor="root", role="admin"))
    )

    assert outcome.roster.current_keys("bob") == (first.fingerprint, second.fingerprint)
    assert [m.keys for m in outcome.roster.listed() if m.name == "bob"] == [
        (first.fingerprint, second.fingerprint)
    ]


def test_a_revoked_key_is_valid_from_its_registration_until_its_revocation(ssh_keys: KeyShelf) -> None:
    bob = key(ssh_keys, "bob")

    outcome = (
        given_staff(*WITH_ADMIN, BOB, event(Roster.KeyRegistered, name="bob", key=bob.openssh))
        .when(lambda roster, cards: roster.revoke_key("bob", bob, cards["bob"], **AS_ROOT))
        .then(event(Roster.KeyRevoked, name="bob", key=bob.openssh, editor="root", role="admin"))
    )

    (held,) = outcome.roster.staff_keys()
    assert (held.registered, held.revoked) == (4, 5)
    assert [held.valid_at(v) for v in (3, 4, 5, 6)] == [False, True, False, False]
    assert outcome.roster.current_keys("bob") == ()


def test_a_key_registered_to_anyone_is_refused_and_names_its_holder(ssh_keys: KeyShelf) -> None:
    bob = key(ssh_keys, "bob")

    given_staff(*WITH_ADMIN, BOB, event(Roster.KeyRegistered, name="root", key=bob.openssh)).when(
        lambda roster, cards: roster.register_key("bob", bob, cards["bob"], **AS_ROOT)
    ).then_refused(KeyAlreadyRegistered, re.escape(f"key {bob.fingerprint} is registered (to root)"))


def test_a_revoked_key_is_never_registered_again(ssh_keys: KeyShelf) -> None:
    bob = key(ssh_keys, "bob")

    given_staff(
        *WITH_ADMIN, BOB,
        event(Roster.KeyRegistered, name="bob", key=bob.openssh),
        event(Roster.KeyRevoked, name="bob", key=bob.openssh),
    ).when(
        lambda roster, cards: roster.register_key("bob", bob, cards["bob"], **AS_ROOT)
    ).then_refused(KeyAlreadyRegistered, "was revoked at roster version 5")  # fmt: skip


def test_revoking_a_key_the_member_does_not_hold_is_refused(ssh_keys: KeyShelf) -> None:
    bob, root = key(ssh_keys, "bob"), key(ssh_keys, "root")

    given_staff(*WITH_ADMIN, BOB, event(Roster.KeyRegistered, name="root", key=root.openssh)).when(
        lambda roster, cards: roster.revoke_key("bob", root, cards["bob"], **AS_ROOT)
    ).then_refused(KeyNotRegistered, re.escape(f"key {root.fingerprint} is not one of bob's current keys"))
    given_staff(*WITH_ADMIN, BOB).when(
        lambda roster, cards: roster.revoke_key("bob", bob, cards["bob"], **AS_ROOT)
    ).then_refused(KeyNotRegistered)


def test_a_key_for_someone_not_on_the_staff_is_refused(ssh_keys: KeyShelf) -> None:
    from domain.errors import StaffMemberNotFound

    given_staff(*WITH_ADMIN).when(
        lambda roster, cards: roster.register_key("zed", key(ssh_keys, "zed"), None, **AS_ROOT)
    ).then_refused(StaffMemberNotFound)


def test_the_same_key_twice_in_one_addition_is_registered_once(ssh_keys: KeyShelf) -> None:
    bob = key(ssh_keys, "bob")

    given_staff(*WITH_ADMIN).when(
        lambda roster, cards: roster.add("bob", ["editor"], None, **AS_ROOT, keys=[bob, bob])
    ).then(
        event(Roster.MemberAdded, name="bob", roles=("editor",)),
        event(Roster.KeyRegistered, name="bob", key=bob.openssh),
    )


def test_what_is_no_ssh_key_type_at_all_is_not_called_a_key_of_another_type() -> None:
    with pytest.raises(InvalidInput, match="not an OpenSSH public key") as refused:
        PublicKey.parse("-----BEGIN OPENSSH PRIVATE KEY-----")

    assert not isinstance(refused.value, KeyTypeNotAccepted)
