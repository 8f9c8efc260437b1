"""Erasures: the record that a person's name was erased, as events.

`Erasures` is one aggregate (a fixed id) with one event per erasure, naming the request it was
made under, who made it, and the name erased sealed under that person's own key, which the
erasure then destroys: the record shows that someone was erased, when, by whom and why, never
whom. The staff roster is changed in the same write if the person is on it.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate

from domain import rules
from domain.chain import draw_salts

ERASURES_NAMESPACE = uuid5(NAMESPACE_URL, "https://newsroom.invalid/erasures/")


class Erasures(Aggregate):
    """Every erasure made in the store. Public methods check the rules, then record."""

    ID = uuid5(ERASURES_NAMESPACE, "erasures")

    class Started(Aggregate.Created):
        """The log of erasures begins (with the first one, in the same write)."""

    class PersonErased(Aggregate.Event):
        """`name`'s key was destroyed under `request`: everywhere it was recorded it reads erased."""

        name: str
        request: str
        editor: str
        role: str | None

        def __post_init__(self) -> None:
            super().__post_init__()
            draw_salts(self, ("name", "editor"))

        def apply(self, erasures: Erasures) -> None:
            erasures.count += 1

    def __init__(self) -> None:
        self.count = 0

    @classmethod
    def start(cls, *, at: datetime) -> Erasures:
        return cls._create(cls.Started, id=cls.ID, timestamp=at)

    def erase(self, name: str, *, request: str, editor: str, role: str | None, at: datetime) -> None:
        """Records the erasure of `name` under `request` (a reference: the request's number or file)."""
        self.trigger_event(
            self.PersonErased,
            name=rules.valid_editor(name),
            request=valid_request(request),
            editor=rules.valid_editor(editor),
            role=role,
            timestamp=at,
        )


def valid_request(request: str) -> str:
    """An erasure request's reference: one line, 1 to 200 characters, stored in clear."""
    return rules.valid_line("an erasure request's reference", request, 200)
