"""The roster's lock-out rule: on a store whose roster has keys, every roster change is signed
by an admin's current key, so no change may leave the staff without an admin holding one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import LastAdminKey

if TYPE_CHECKING:
    from domain.staff import Roster


def keep_an_admin_key(roster: Roster, name: str, *, keeps: tuple[str, ...]) -> None:
    """Refuses (`LastAdminKey`) a change after which `name`, the only admin holding a current key,
    would hold only `keeps` of them as an admin (none: the change takes the key, the role or the
    member away). A roster with no admin holding a key (one without keys) loses nothing."""
    holders = [admin for admin in roster.admins if roster.current_keys(admin)]
    if holders == [name] and not keeps:
        raise LastAdminKey(name, roster.current_keys(name))
