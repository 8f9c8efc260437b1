"""Options every write command shares, and the application command each CLI command makes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from cli.times import IsoTime

F = TypeVar("F", bound=Callable[..., Any])

_request_id_option: Any = click.option(
    "--request-id",
    envvar="NEWSROOM_REQUEST_ID",
    metavar="ID",
    help="Makes the command safe to repeat: a repeat with the same ID appends nothing and "
    "prints the first result (env NEWSROOM_REQUEST_ID).",
)

MAKES = "newsroom_makes"
"""The attribute of a CLI command's callback naming the application commands it makes."""


def request_id_for(command_id: str, **with_flag: str) -> Callable[[F], F]:
    """--request-id, on a CLI command that makes the application command `command_id` (its
    declared id, `domain.commands`); `with_flag` maps the id of another it makes when given a flag
    to that flag (`update post --publish-at` schedules the post instead). A refusal names a
    command by these words (`commands_made_by`), so they are the click tree's own."""

    def declare(callback: F) -> F:
        setattr(callback, MAKES, {command_id: "", **{made: f" {flag}" for made, flag in with_flag.items()}})
        return _request_id_option(callback)  # type: ignore[no-any-return]

    return declare


def commands_made_by(group: click.Group) -> dict[str, str]:
    """Every application command the CLI commands under `group` make, by id, with the words that
    make it: "update post", "update post --publish-at"."""
    return dict(_made(group, click.Context(group), ()))


def _made(group: click.Group, ctx: click.Context, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for name in group.list_commands(ctx):
        cli_command = group.get_command(ctx, name)
        if isinstance(cli_command, click.Group):
            yield from _made(cli_command, ctx, (*path, name))
        elif cli_command is not None:
            for command_id, flag in getattr(cli_command.callback, MAKES, {}).items():
                yield command_id, " ".join((*path, name)) + flag


TIME = IsoTime(zone_required=True)
NUMBER = click.IntRange(min=1)
"""An update's, a submission's or a scheduled post's number."""

BODY = click.option("--body", metavar="TEXT", help="The body in Markdown; '-' reads standard input.")
BODY_FILE = click.option("--body-file", metavar="PATH", help="Read the Markdown body from a file.")


def body_options(func: F) -> F:
    """--body and --body-file, for the commands that take an update's Markdown."""
    return BODY(BODY_FILE(func))  # type: ignore[no-any-return]
