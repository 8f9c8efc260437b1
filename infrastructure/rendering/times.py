"""How every output writes a time: ISO 8601 in UTC with a Z, and the text and HTML pages' shorter
forms of it. Imports nothing heavy, so the CLI can use it at module level."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def iso(moment: datetime) -> str: ...


@overload
def iso(moment: None) -> None: ...


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not UTC:  # events' times are UTC already: no conversion to pay for
        moment = moment.astimezone(UTC)
    return moment.isoformat()[:-6] + "Z"


def long_time(moment: datetime) -> str:
    """A time as the pages show it: 2013-05-10 14:32 UTC."""
    text = iso(moment)
    return f"{text[:10]} {text[11:16]} UTC"


def clock_time(moment: datetime) -> str:
    """A time as 14:32 (UTC)."""
    return iso(moment)[11:16]
