"""`StaffCard`: one member's roles now, derived from the roster's events and saved with them (what
every command's role check reads: one row)."""

from __future__ import annotations

from dataclasses import field
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.chain import draw_salts

STAFF_NAMESPACE = uuid5(NAMESPACE_URL, "https://newsroom.invalid/staff/")
STORED_AS = "domain.staff"
"""The module the card's stored topics name."""


class StaffCard(Aggregate):
    """One member's roles now: what every command's role check reads.

    Derived from the roster's events and saved with them, unchained like `UpdateDigests`. Every
    event carries the whole set of roles after it (empty: no longer on the staff), and the
    fingerprints of the member's current keys (stored only when they hold any, so a card from a
    store without keys is stored as before), so the latest event alone answers. Id: `keyed_id`
    with person keys, else `id_for(NAME)`.
    """

    keys: tuple[str, ...] = ()
    """The fingerprints of the member's current keys (none on a card from before keys)."""

    TOPIC = f"{STORED_AS}:StaffCard"
    """Pinned, with its events', to where it was declared when it was stored first (`domain.staff`)."""

    class Created(Aggregate.Created):
        """The library's, unused (a card starts `Issued`): named only so that its topic is pinned too."""

        TOPIC = f"{STORED_AS}:StaffCard.Created"

    class Issued(Aggregate.Created):
        TOPIC = f"{STORED_AS}:StaffCard.Issued"
        name: str
        roles: tuple[str, ...]
        keys: tuple[str, ...] = field(default=(), kw_only=True)

        def __post_init__(self) -> None:
            super().__post_init__()
            _unstored_if_none(self)
            draw_salts(self, ("name",))

    class Changed(Aggregate.Event):
        TOPIC = f"{STORED_AS}:StaffCard.Changed"
        roles: tuple[str, ...]
        keys: tuple[str, ...] = field(default=(), kw_only=True)

        def __post_init__(self) -> None:
            super().__post_init__()
            _unstored_if_none(self)

        def apply(self, card: StaffCard) -> None:
            card.roles = tuple(self.roles)
            card.keys = tuple(self.keys)

    def __init__(self, name: str, roles: tuple[str, ...], keys: tuple[str, ...] = ()) -> None:
        self.name = name
        self.roles = tuple(roles)
        self.keys = tuple(keys)

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
        keys: tuple[str, ...] = (),
    ) -> StaffCard:
        """The card of a member just added: a new one (id `card_id`, else `id_for(name)`), or
        theirs from before, if they were removed."""
        if card is not None:
            return card.changed(roles, at, keys)
        card_id = card_id or cls.id_for(name)
        return cls._create(cls.Issued, id=card_id, name=name, roles=roles, timestamp=at, keys=keys)

    def changed(self, roles: tuple[str, ...], at: datetime, keys: tuple[str, ...] = ()) -> StaffCard:
        """The member's roles and current keys are now `roles` and `keys`."""
        self.trigger_event(self.Changed, roles=roles, timestamp=at, keys=keys)
        return self


def _unstored_if_none(event: object) -> None:
    """Keys are stored only when the member holds some: a card is stored as before keys existed."""
    if not vars(event).get("keys"):
        vars(event).pop("keys", None)
