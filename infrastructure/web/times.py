"""How the readers' web shows a time: in the story's own zone, named on the page, while every
machine-readable time (`<time datetime>`, JSON, feeds) stays ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "UTC"


def parse_iso(text: str) -> datetime:
    """An ISO 8601 time such as the JSON outputs write (`...Z`); one without a zone is UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def machine_time(text: str) -> str:
    """An ISO time as HTML's `<time datetime>` takes it: UTC, at most milliseconds."""
    moment = parse_iso(text).astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def clock_time(text: str, zone: str = DEFAULT_ZONE) -> str:
    """14:32 in the zone."""
    return parse_iso(text).astimezone(ZoneInfo(zone)).strftime("%H:%M")


def day_and_time(text: str, zone: str = DEFAULT_ZONE) -> str:
    """10 May 2013 14:32 in the zone."""
    moment = parse_iso(text).astimezone(ZoneInfo(zone))
    return f"{moment.day} {moment:%B %Y %H:%M}"


def zone_name(zone: str) -> str:
    """How the page names the zone: "All times UTC", "All times Europe/London (BST)"."""
    if zone == DEFAULT_ZONE:
        return "UTC"
    abbreviation = datetime.now(ZoneInfo(zone)).tzname()
    return f"{zone} ({abbreviation})" if abbreviation and abbreviation != zone else zone
