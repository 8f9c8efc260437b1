"""What proves an event's author (`domain.authorship`) and which key a command signs with
(`domain.signing.signing_key`): given the roster's past, when an event signed by a key, then proven
or why not."""

from __future__ import annotations

import pytest

from domain.application import COMMANDS
from domain.authorship import EVENT_COMMANDS, RosterAsOf, Unproven, permitted_roles
from domain.errors import KeyNotTheirs, NoSigningKey
from domain.schedule import SCHEDULER, SYSTEM_ROLE
from domain.signing import PublicKey, signing_key
from domain.story import Story
from tests.support.ssh_keys import KeyShelf

EDITING = frozenset({"editor"})


def key(ssh_keys: KeyShelf, name: str) -> PublicKey:
    return PublicKey.parse(ssh_keys(name).line)


def roster_with(*changes: tuple[str, dict[str, object]]) -> RosterAsOf:
    roster = RosterAsOf()
    for version, (name, fields) in enumerate(changes, start=1):
        roster.apply(name, fields, version)
    return roster


def test_every_story_event_names_the_commands_that_record_it() -> None:
    assert set(EVENT_COMMANDS) == {cls.__name__ for cls in Story.EVENT_CLASSES}
    assert all(command in COMMANDS for commands in EVENT_COMMANDS.values() for command in commands)


def test_an_event_may_be_recorded_only_under_a_role_its_commands_allow() -> None:
    allowed = permitted_roles(COMMANDS)

    assert allowed["UpdatePosted"] == {"editor", SYSTEM_ROLE}
    assert allowed["UpdateSubmitted"] == {"contributor", "editor"}
    assert "contributor" not in allowed["UpdateTakenDown"]


def test_a_key_proves_its_member_while_valid_and_under_a_role_they_hold(ssh_keys: KeyShelf) -> None:
    ed = key(ssh_keys, "ed")
    roster = roster_with(
        ("MemberAdded", {"name": "ed", "roles": ("editor",)}),
        ("KeyRegistered", {"name": "ed", "key": ed.openssh}),
    )

    assert roster.judged(ed.fingerprint, "ed", "editor", EDITING) is None
    assert roster.judged(ed.fingerprint, "cat", "editor", EDITING) == (
        Unproven.KEY_NOT_ON_ROSTER,
        f"key {ed.fingerprint} is ed's, not cat's",
    )
    assert roster.judged(ed.fingerprint, "ed", "legal", EDITING)[0] is Unproven.NOT_PERMITTED  # type: ignore[index]
    assert roster.judged(ed.fingerprint, "ed", None, EDITING)[0] is Unproven.NOT_PERMITTED  # type: ignore[index]
    assert (
        roster.judged(key(ssh_keys, "cat").fingerprint, "ed", "editor", EDITING)[0]
        is Unproven.KEY_NOT_ON_ROSTER
    )  # type: ignore[index]


def test_a_revoked_key_proves_nothing_after_its_revocation(ssh_keys: KeyShelf) -> None:
    ed = key(ssh_keys, "ed")
    roster = roster_with(
        ("MemberAdded", {"name": "ed", "roles": ("editor",)}),
        ("KeyRegistered", {"name": "ed", "key": ed.openssh}),
        ("KeyRevoked", {"name": "ed", "key": ed.openssh}),
    )

    assert roster.judged(ed.fingerprint, "ed", "editor", EDITING) == (
        Unproven.KEY_REVOKED, f"key {ed.fingerprint} was revoked at roster version 3"
    )  # fmt: skip


def test_the_publisher_s_key_proves_its_events_under_the_system_role(ssh_keys: KeyShelf) -> None:
    system = key(ssh_keys, "system")
    roster = roster_with(("KeyRegistered", {"name": SCHEDULER, "key": system.openssh}))

    assert roster.judged(system.fingerprint, SCHEDULER, SYSTEM_ROLE, {"editor", SYSTEM_ROLE}) is None
    assert roster.judged(system.fingerprint, SCHEDULER, SYSTEM_ROLE, EDITING)[0] is Unproven.NOT_PERMITTED  # type: ignore[index]


class Holding:
    """A signer holding these keys (it is never asked to sign here)."""

    def __init__(self, *keys: PublicKey) -> None:
        self.keys = keys

    def public_keys(self) -> tuple[PublicKey, ...]:
        return self.keys

    def sign(self, key: PublicKey, message: bytes, namespace: str) -> bytes:
        raise AssertionError("not asked")


def test_a_command_signs_with_the_first_of_the_signer_s_keys_that_is_the_member_s(ssh_keys: KeyShelf) -> None:
    cat, ed = key(ssh_keys, "cat"), key(ssh_keys, "ed")

    assert signing_key(Holding(cat, ed), "ed", [ed.fingerprint]) == ed
    with pytest.raises(KeyNotTheirs, match="is not one of ed's current keys"):
        signing_key(Holding(cat), "ed", [ed.fingerprint])
    with pytest.raises(KeyNotTheirs, match="none of the keys"):
        signing_key(Holding(cat, key(ssh_keys, "ann")), "ed", [ed.fingerprint])
    with pytest.raises(NoSigningKey):
        signing_key(None, "ed", [ed.fingerprint])
    with pytest.raises(NoSigningKey):
        signing_key(Holding(), "ed", [ed.fingerprint])
