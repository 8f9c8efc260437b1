"""What proves who made a change: the checks `audit verify` makes of every signed story and roster
event, against the roster as it stood when the event was recorded (no I/O: the audit reads the
events and checks the signatures' bytes, `infrastructure/audit/authorship.py`).

An event is proven when its signature is valid (of its hash, under the store's namespace), the key
was registered to the named person and not yet revoked, and the person held a role permitting the
command that records such an event (`EVENT_COMMANDS`, read with the commands' declarations).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from domain.commands import Command
from domain.roles import ADMIN
from domain.schedule import SCHEDULER, SYSTEM_ROLE
from domain.signing import PublicKey

ROSTER = "staff roster"
"""Where a roster event is reported: its place beside the stories."""


class Unproven(StrEnum):
    """Why an event's author is not proven."""

    UNSIGNED = "unsigned"
    BAD_SIGNATURE = "bad signature"
    KEY_NOT_ON_ROSTER = "key not on the roster"
    KEY_REVOKED = "key revoked before this"
    NOT_PERMITTED = "not permitted"


EVENT_COMMANDS: Mapping[str, tuple[str, ...]] = {
    "Opened": ("open_story",),
    "Published": ("publish_story",),
    "Closed": ("close_story",),
    "Reopened": ("reopen_story",),
    "HeadlineChanged": ("change_headline",),
    "StandfirstChanged": ("change_standfirst",),
    "TimeZoneChanged": ("change_time_zone",),
    "UpdatePosted": ("post_update",),
    "UpdateRevised": ("revise_update",),
    "QuoteCorrected": ("correct_quote",),
    "UpdatePinned": ("pin_update", "post_update", "approve_submission"),
    "UpdateUnpinned": ("unpin_update", "retract_update", "take_down_update"),
    "KeyEventMarked": ("mark_key_event", "post_update", "approve_submission"),
    "KeyEventUnmarked": ("mark_key_event",),
    "UpdateRetracted": ("retract_update",),
    "UpdateSubmitted": ("submit_update",),
    "SubmissionRevised": ("revise_submission",),
    "SubmissionWithdrawn": ("withdraw_submission",),
    "SubmissionApproved": ("approve_submission",),
    "SubmissionRejected": ("reject_submission",),
    "UpdateScheduled": ("schedule_update",),
    "UpdateRescheduled": ("reschedule_update", "unschedule_update"),
    "PublicationScheduled": ("schedule_publication", "unschedule_publication"),
    "UpdateTakenDown": ("take_down_update",),
    "SubmissionTakenDown": ("take_down_submission",),
    "ScheduledPostTakenDown": ("take_down_scheduled_post",),
}
"""Every story event, by name, and the commands that record it: the roles those commands'
declarations allow are the roles an event of that type may be recorded under."""
SYSTEM_EVENTS = frozenset({"Published", "UpdatePosted"})
"""What the publisher records under the system identity (`SCHEDULER`, role `SYSTEM_ROLE`)."""


def permitted_roles(commands: Mapping[str, Command]) -> dict[str, frozenset[str]]:
    """For each story event, the roles it may be recorded under (from `EVENT_COMMANDS`; the
    publisher's events under the system role too)."""
    return {
        name: frozenset(role for command in ids for role in commands[command].roles)
        | ({SYSTEM_ROLE} if name in SYSTEM_EVENTS else frozenset())
        for name, ids in EVENT_COMMANDS.items()
    }


@dataclass(frozen=True)
class Problem:
    """An event whose author is not proven: where (a story's slug, or `ROSTER`), which version, why."""

    where: str
    version: int
    kind: Unproven
    detail: str


@dataclass
class RosterAsOf:
    """The roster folded event by event, as an audit reads it in the store's order: whose keys
    were valid and who held which roles at each point."""

    keys: dict[str, list[Any]] = field(default_factory=dict)
    """fingerprint -> [member, registered version, revoked version or None]"""
    roles: dict[str, set[str]] = field(default_factory=dict)
    version: int = 0

    def apply(self, name: str, fields: Mapping[str, Any], version: int) -> None:
        """Folds the roster event `name` (its type) with its `fields` (as read back)."""
        self.version = version
        member = fields.get("name")
        if name == "MemberAdded":
            self.roles[member] = set(fields.get("roles") or ())
        elif name == "RoleGranted":
            self.roles.setdefault(member, set()).add(fields["granted"])
        elif name == "RoleRevoked":
            self.roles.get(member, set()).discard(fields["revoked"])
        elif name == "MemberRemoved":
            self.roles.pop(member, None)
        elif name == "KeyRegistered":
            self.keys[PublicKey.parse(fields["key"]).fingerprint] = [member, version, None]
        elif name == "KeyRevoked":
            held = self.keys.get(PublicKey.parse(fields["key"]).fingerprint)
            if held is not None and held[2] is None:
                held[2] = version

    def judged(
        self, signer: str, editor: str, role: str | None, allowed: Iterable[str]
    ) -> tuple[Unproven, str] | None:
        """Whether the key `signer` proves `editor` made, under `role`, an event that roles
        `allowed` may record, at this point of the roster: None if so, else why not."""
        held = self.keys.get(signer)
        if held is None:
            return Unproven.KEY_NOT_ON_ROSTER, f"key {signer} was never registered"
        owner, _since, revoked = held
        if owner != editor:  # an erased owner's events read erased too: "[erased]" is "[erased]"
            return Unproven.KEY_NOT_ON_ROSTER, f"key {signer} is {owner}'s, not {editor}'s"
        if revoked is not None:
            return Unproven.KEY_REVOKED, f"key {signer} was revoked at roster version {revoked}"
        allowed = frozenset(allowed)
        if editor == SCHEDULER and role == SYSTEM_ROLE and SYSTEM_ROLE in allowed:
            return None
        held_roles = self.roles.get(editor, set())
        if role is None or role not in held_roles or role not in allowed:
            said = "no role" if role is None else f"as {role}"
            holding = ", ".join(sorted(held_roles)) or "no role"
            return Unproven.NOT_PERMITTED, f"{editor} recorded it {said}, holding {holding}"
        return None


ROSTER_ROLES = frozenset({ADMIN})
"""Who may change the staff, once the roster has begun."""
