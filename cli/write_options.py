"""Options every write command shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

request_id_option: Any = click.option(
    "--request-id",
    envvar="NEWSROOM_REQUEST_ID",
    metavar="ID",
    help="Makes the command safe to repeat: a repeat with the same ID appends nothing and "
    "prints the first result (env NEWSROOM_REQUEST_ID).",
)


class IsoTime(click.ParamType):
    """An ISO 8601 time, such as 2026-05-10T12:00+01:00 (the domain refuses one without a zone)."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time such as 2026-05-10T12:00+01:00", param, ctx)


TIME = IsoTime()
