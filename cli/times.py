"""The one click type for a time an editor types: ISO 8601, such as 2013-05-10T14:32:00Z."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click


class IsoTime(click.ParamType):
    """An ISO 8601 time. One without a zone is taken as UTC when reading (`page --at`, `log
    --since`); a time that schedules something must say its zone (`zone_required`: the domain
    refuses one without, naming it)."""

    name = "TIME"

    def __init__(self, *, zone_required: bool = False) -> None:
        self.zone_required = zone_required
        self.example = "2026-05-10T12:00+01:00" if zone_required else "2013-05-10T14:32:00Z"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time such as {self.example}", param, ctx)
        if moment.tzinfo is None and not self.zone_required:
            return moment.replace(tzinfo=UTC)
        return moment
