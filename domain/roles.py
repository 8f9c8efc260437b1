"""Who may do what: the staff's roles and the check every command passes before it records
anything (each command declares the roles that may make it: `domain.commands`).

A store with no admin has no roster in force: everyone may do everything, and events record no
role, exactly as before roles existed. Once an admin exists, only staff may write, each command
only under a role that allows it, and the event records that role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.commands import Command
from domain.errors import NotOnStaff, NotPermitted, UnknownRole

CONTRIBUTOR, EDITOR, LEGAL, ADMIN = "contributor", "editor", "legal", "admin"
ROLES: tuple[str, ...] = (EDITOR, LEGAL, CONTRIBUTOR, ADMIN)
"""Every role, in the order a command done under several is recorded: the first that allows it."""

_HOLDERS = {CONTRIBUTOR: "a contributor", EDITOR: "an editor", LEGAL: "the legal desk", ADMIN: "an admin"}
_MEMBERS = {CONTRIBUTOR: "a contributor", EDITOR: "an editor", LEGAL: "on the legal desk", ADMIN: "an admin"}


def holders(roles: Iterable[str]) -> str:
    """Who holds `roles`, in words: "an editor or the legal desk"."""
    return " or ".join(_HOLDERS[role] for role in ROLES if role in set(roles))


def described(roles: Iterable[str]) -> str:
    """What someone holding `roles` is, in words: "a contributor and on the legal desk"."""
    return " and ".join(_MEMBERS[role] for role in ROLES if role in set(roles))


@dataclass(frozen=True)
class Badge:
    """Someone about to make a command, and the roles the roster gives them now.

    `roles` None: the store has no admin, so there is no roster in force. An empty set: the
    roster is in force and they are not on it (never added, or removed).
    """

    name: str
    roles: frozenset[str] | None
    keys: tuple[str, ...] = ()
    """The fingerprints of their current keys, as their card holds them."""

    def role_for(self, command: Command) -> str | None:
        """The role `command` is done under (None with no roster in force), or the refusal."""
        if self.roles is None:
            return None
        for role in ROLES:
            if role in self.roles and role in command.roles:
                return role
        if not self.roles:
            raise NotOnStaff(self.name, command.id, command.action, holders(command.roles))
        raise NotPermitted(
            self.name, tuple(r for r in ROLES if r in self.roles), command.id, command.action,
            described(self.roles), holders(command.roles),
        )  # fmt: skip


def valid_role(role: str) -> str:
    """`role` if it is one of the newsroom's roles."""
    if role not in ROLES:
        raise UnknownRole(role, ROLES)
    return role
