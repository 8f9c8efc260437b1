"""How every output writes a time: ISO 8601 in UTC with a Z for machines (JSON, feeds,
`<time datetime>`), and for people the pages' shorter forms, in UTC or, on the readers' web, in
the story's own zone (named on the page). Imports nothing heavy, so the CLI can use it at module
level."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import overload
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "UTC"
"""The zone a story's times are shown in until an editor sets another."""


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


_FRACTION = re.compile(r"(\.\d{3})\d+")


def machine_time(moment: datetime) -> str:
    """A time as `<time datetime>` allows it: ISO 8601 in UTC with at most three digits of a
    second (the rest cut off, never rounded up into the next second)."""
    return _FRACTION.sub(r"\1", iso(moment), count=1)


def milliseconds_time(moment: datetime) -> str:
    """A time as the readers' web writes `<time datetime>`: UTC, always to the millisecond (as a
    browser's `toISOString` writes it, so the live client's times read the same)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def long_time(moment: datetime) -> str:
    """A time as the pages show it: 2013-05-10 14:32 UTC."""
    text = iso(moment)
    return f"{text[:10]} {text[11:16]} UTC"


def clock_time(moment: datetime, zone: str = DEFAULT_ZONE) -> str:
    """A time as 14:32, in the zone (UTC by default)."""
    if zone == DEFAULT_ZONE:
        return iso(moment)[11:16]
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def day_and_time(moment: datetime, zone: str = DEFAULT_ZONE) -> str:
    """10 May 2013 14:32 in the zone."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%B %Y %H:%M}"


def zone_name(zone: str) -> str:
    """How the readers' page names the zone: "All times UTC", "All times Europe/London (BST)"."""
    if zone == DEFAULT_ZONE:
        return "UTC"
    abbreviation = datetime.now(ZoneInfo(zone)).tzname()
    return f"{zone} ({abbreviation})" if abbreviation and abbreviation != zone else zone
