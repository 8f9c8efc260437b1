"""Who may do what: the staff's roles, each command's required roles, and the check every
command passes before it records anything.

A store with no admin has no roster in force: everyone may do everything, and events record no
role, exactly as before roles existed. Once an admin exists, only staff may write, each command
only under a role that allows it, and the event records that role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.errors import NotOnStaff, NotPermitted, UnknownRole

CONTRIBUTOR, EDITOR, LEGAL, ADMIN = "contributor", "editor", "legal", "admin"
ROLES: tuple[str, ...] = (EDITOR, LEGAL, CONTRIBUTOR, ADMIN)
"""Every role, in the order a command done under several is recorded: the first that allows it."""

_EDITOR_COMMANDS = (
    "open_story",
    "change_headline",
    "change_standfirst",
    "change_time_zone",
    "publish_story",
    "close_story",
    "reopen_story",
    "post_update",
    "revise_update",
    "correct_quote",
    "pin_update",
    "unpin_update",
    "mark_key_event",
    "approve_submission",
    "reject_submission",
    "schedule_update",
    "reschedule_update",
    "unschedule_update",
    "schedule_publication",
    "unschedule_publication",
)
_SUBMITTERS_COMMANDS = ("submit_update", "revise_submission", "withdraw_submission")
"""An editor or a contributor; revising and withdrawing only their own (a rule of the story)."""
_STAFF_COMMANDS = ("add_staff", "grant_role", "revoke_role", "remove_staff")

PERMISSIONS: dict[str, frozenset[str]] = {
    **{command: frozenset({EDITOR}) for command in _EDITOR_COMMANDS},
    **{command: frozenset({EDITOR, CONTRIBUTOR}) for command in _SUBMITTERS_COMMANDS},
    "retract_update": frozenset({LEGAL}),
    "take_down_update": frozenset({LEGAL}),
    "take_down_submission": frozenset({LEGAL}),
    "take_down_scheduled_post": frozenset({LEGAL}),
    **{command: frozenset({ADMIN}) for command in _STAFF_COMMANDS},
    "erase_person": frozenset({ADMIN}),
}
"""The roles that may make each command, by the command's stable id (`Newsroom`'s method name)."""

ACTIONS: dict[str, str] = {
    "open_story": "open a story",
    "change_headline": "change a headline",
    "change_standfirst": "change a standfirst",
    "change_time_zone": "change a story's time zone",
    "publish_story": "publish a story",
    "close_story": "close a story",
    "reopen_story": "reopen a story",
    "post_update": "post an update",
    "revise_update": "revise an update",
    "correct_quote": "correct a quote",
    "pin_update": "pin or unpin an update",
    "unpin_update": "pin or unpin an update",
    "mark_key_event": "mark key events",
    "retract_update": "retract an update",
    "take_down_update": "take an update down",
    "take_down_submission": "take a submission down",
    "take_down_scheduled_post": "take a scheduled post down",
    "submit_update": "submit an update",
    "revise_submission": "revise a submission",
    "withdraw_submission": "withdraw a submission",
    "approve_submission": "approve a submission",
    "reject_submission": "reject a submission",
    "schedule_update": "schedule an update",
    "reschedule_update": "reschedule an update",
    "unschedule_update": "unschedule an update",
    "schedule_publication": "schedule a story's publication",
    "unschedule_publication": "unschedule a story's publication",
    "add_staff": "add staff",
    "grant_role": "grant roles",
    "revoke_role": "revoke roles",
    "remove_staff": "remove staff",
    "erase_person": "erase a person's name",
}
"""What each command does, in the newsroom's words, for a refusal."""

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

    def role_for(self, command_id: str) -> str | None:
        """The role the command is done under (None with no roster in force), or the refusal."""
        if self.roles is None:
            return None
        allowed = PERMISSIONS[command_id]
        for role in ROLES:
            if role in self.roles and role in allowed:
                return role
        if not self.roles:
            raise NotOnStaff(self.name, command_id, ACTIONS[command_id], holders(allowed))
        raise NotPermitted(
            self.name, tuple(r for r in ROLES if r in self.roles), command_id, ACTIONS[command_id],
            described(self.roles), holders(allowed),
        )  # fmt: skip


def valid_role(role: str) -> str:
    """`role` if it is one of the newsroom's roles."""
    if role not in ROLES:
        raise UnknownRole(role, ROLES)
    return role
