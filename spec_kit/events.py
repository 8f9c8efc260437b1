"""Events as a test states them: `event(Story.QuoteCorrected, number=1, text="...")`, any story or
roster event built from its class, every field the test leaves out taking a default.

A field's default comes from the event class itself: its own default if it has one
(`Published.late`), else None where None is allowed (`UpdateRevised.title`: kept as it was), else
the kit's default for its name (`SLUG`, `"Syria summit"`, `"An update"`...), else one for its type
(False, 1, an empty tuple). A field with none of these (`UpdateScheduled.publish_at`) must be
named. `number` left out means, for an event that posts an update, the story's next number, and
for any other, the number of the latest update posted.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from eventsourcing.domain import DomainEvent

from domain.blocks import Block
from domain.markdown_body import parse_body

T0 = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)
SLUG = "syria-summit"
EDITOR = "ann"
"""The editor of every given story event that names none."""

Body = str | Sequence[Block]
"""Markdown (parsed as an editor's would be) or the blocks themselves."""
E = TypeVar("E", bound=BaseException)

ENVELOPE = frozenset(
    ("originator_id", "originator_version", "timestamp", "originator_topic")  # where and when
    + ("editor", "previous_hash", "role")  # who, and the chain
)
"""What `given` fills in for every event (its place, time and chain), not the test."""
NAMED_DEFAULTS: Mapping[str, Any] = {
    "slug": SLUG,
    "headline": "Syria summit",
    "title": "An update",
    "body": "Some news.",
    "reason": "A reason",
    "note": "A note",
    "order": "Court order 1",
    "time_zone": "Europe/London",
    "submitted_by": EDITOR,
    "number": None,
}
"""The kit's default for a field of this name, in any event that has one."""


class MinuteClock:
    """The default clock: starts at `start` and moves on one minute each time it is read."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        moment, self.now = self.now, self.now + timedelta(minutes=1)
        return moment


@dataclass(frozen=True)
class EventSpec:
    """One event as a test states it: its class and fields, and its editor, time and role if named."""

    event_class: type[DomainEvent]
    fields: Mapping[str, Any]
    editor: str | None = None
    at: datetime | None = None
    role: str | None = None
    """The role it was done under; None: none named (for a story, none, as in a store with no admin)."""
    sealed: bool = False
    """Made sealed, as a store with encryption makes it (`domain.chain.sealing`)."""

    @property
    def name(self) -> str:
        return self.event_class.__name__

    def resolved(self, number: int) -> EventSpec:
        """This event with `number` None made `number`."""
        if "number" not in self.fields or self.fields["number"] is not None:
            return self
        return replace(self, fields={**self.fields, "number": number})

    def under(self, role: str) -> EventSpec:
        """This event done under `role` (a store with an admin records it)."""
        return replace(self, role=role)

    def expected(self) -> dict[str, Any]:
        """The fields `then` compares: every field, and the editor, time and role where they are named."""
        named = {"editor": self.editor, "timestamp": self.at, "role": self.role}
        return {**self.fields, **{k: v for k, v in named.items() if v is not None}}

    def __repr__(self) -> str:
        return describe(self.name, self.expected())


def event(
    event_class: type[DomainEvent],
    *,
    editor: str | None = None,
    at: datetime | None = None,
    role: str | None = None,
    sealed: bool = False,
    **fields: Any,
) -> EventSpec:
    """The event of `event_class` with `fields`, the others defaulted from the class; a body may be
    Markdown. `sealed`: made with its words encrypted."""
    own = own_fields(event_class)
    unknown = sorted(set(fields) - set(own))
    if unknown:
        raise TypeError(f"{event_class.__qualname__} has no field {', '.join(unknown)}")
    values = {name: fields[name] if name in fields else _default(event_class, name) for name in own}
    if values.get("body") is not None:
        values["body"] = _blocks(values["body"])
    return EventSpec(event_class, values, editor, at, role, sealed)


def _blocks(body: Body) -> tuple[Block, ...]:
    return parse_body(body) if isinstance(body, str) else tuple(body)


def own_fields(event_class: type[DomainEvent]) -> list[str]:
    """The fields a test may state: the event's own, not its envelope."""
    return [f.name for f in dataclasses.fields(event_class) if f.init and f.name not in ENVELOPE]


def _default(event_class: type[DomainEvent], name: str) -> Any:
    declared = event_class.__dataclass_fields__[name]
    if declared.default is not dataclasses.MISSING:
        return declared.default
    # The annotation as written (`str | None`, `tuple[Block, ...]`): read, not evaluated, so a
    # module that imports its annotations' names only for type checkers is read all the same.
    written = declared.type if isinstance(declared.type, str) else str(declared.type)
    if re.search(r"\bNone\b", written):
        return None
    if name in NAMED_DEFAULTS:
        return NAMED_DEFAULTS[name]
    by_type = {"bool": False, "int": 1}
    if written in by_type:
        return by_type[written]
    if written.startswith("tuple["):
        return ()
    raise TypeError(f"event({event_class.__qualname__}) needs {name}: it has no default")


def describe(name: str, fields: Mapping[str, Any]) -> str:
    return f"{name}({', '.join(f'{k}={v!r}' for k, v in fields.items())})"


def check_refused(error: Exception | None, error_type: type[E], match: str | None, recorded: str) -> E:
    """The error, if it is an `error_type` whose message matches `match`; `recorded` names what
    the command recorded all the same ("" for nothing)."""
    __tracebackhide__ = True
    if error is None:
        raise AssertionError(
            f"expected {error_type.__name__}, but the command was not refused: "
            f"it recorded {recorded or 'nothing'}"
        )
    if not isinstance(error, error_type):
        raise AssertionError(f"expected {error_type.__name__}, but it raised {type(error).__name__}: {error}")
    if match is not None and not re.search(match, str(error)):
        raise AssertionError(f"the {error_type.__name__} says {str(error)!r}, which does not match {match!r}")
    if recorded:
        raise AssertionError(f"refused with {error_type.__name__}, but recorded {recorded}")
    return error
