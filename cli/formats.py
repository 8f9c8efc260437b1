"""The --format option shared by every command that prints data, and JSON output."""

from __future__ import annotations

import json
from typing import Any

import click

TEXT_OR_JSON = click.Choice(["text", "json"])


def format_option(choices: click.Choice = TEXT_OR_JSON) -> Any:
    return click.option(
        "--format",
        "output_format",
        type=choices,
        default="text",
        show_default=True,
        help="Output for people (text) or for scripts (json).",
    )


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
