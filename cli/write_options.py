"""Options every write command shares."""

from __future__ import annotations

from typing import Any

import click

from cli.times import IsoTime

request_id_option: Any = click.option(
    "--request-id",
    envvar="NEWSROOM_REQUEST_ID",
    metavar="ID",
    help="Makes the command safe to repeat: a repeat with the same ID appends nothing and "
    "prints the first result (env NEWSROOM_REQUEST_ID).",
)


TIME = IsoTime(zone_required=True)
