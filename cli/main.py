"""The `newsroom` command: the root group, its global options and its error handling."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from cli.errors import BadUsage, Refused
from cli.session import Session
from infrastructure.store import DEFAULT_URL

COMMANDS = {
    "story": "cli.story",
    "update": "cli.update",
    "quote": "cli.quote",
    "page": "cli.reading",
    "events": "cli.reading",
    "seed": "cli.seed",
    "history": "cli.history",
    "diff": "cli.history",
    "projections": "cli.projections",
    "audit": "cli.audit",
    "log": "cli.log",
    "editors": "cli.log",
    "serve": "cli.serve",
    "staff": "cli.staff",
    "keys": "cli.keys",
    "submissions": "cli.submissions",
    "schedule": "cli.schedule",
}
"""Each command and the module defining it (as a function of that name), imported only when the
command runs or help lists it: a write loads only its own command group."""


class NewsroomGroup(click.Group):
    """Turns refusals and store failures into one line on stderr and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.add_command(getattr(importlib.import_module(COMMANDS[cmd_name]), cmd_name))
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        from eventsourcing.persistence import PersistenceError

        from domain.errors import NewsroomError
        from infrastructure.store import StoreUnavailable

        try:
            return super().invoke(ctx)
        except NewsroomError as error:
            from cli.messages import refusal_message  # only a refused command words a message

            raise Refused(refusal_message(error)) from None
        except StoreUnavailable as error:
            raise Refused(str(error)) from None
        except PersistenceError as error:
            raise Refused(describe_store_failure(error)) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            click.echo(f"Error: {error.format_message()}{hint}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def describe_store_failure(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    if "readonly" in text or "read-only" in text:
        return f"the database is read-only ({text}): nothing was written; use a writable --db"
    if "disk is full" in text or "disk i/o error" in text.lower() or "No space left" in text:
        return f"the disk is full ({text}): nothing was written; free some space and try again"
    if "locked" in text or "lock timeout" in text:
        return f"the database stayed locked by another process ({text}): nothing was written; try again"
    return f"the store failed ({text}): nothing was written; check the database and try again"


@click.group(cls=NewsroomGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_url",
    envvar="NEWSROOM_DB",
    default=DEFAULT_URL,
    show_default=True,
    help="Database URL: sqlite:///PATH or postgresql://USER@HOST:PORT/DB (env NEWSROOM_DB).",
)
@click.option(
    "--read-db",
    "read_url",
    envvar="NEWSROOM_READ_DB",
    metavar="URL",
    help="A PostgreSQL streaming replica of --db that followers, serve, audit and log read events "
    "from; never written to (env NEWSROOM_READ_DB).",
)
@click.option(
    "--views-db",
    "views_url",
    envvar="NEWSROOM_VIEWS_DB",
    metavar="URL",
    help="The database the read models live in (default: --db's own) (env NEWSROOM_VIEWS_DB).",
)
@click.option(
    "--wait-replica",
    "wait_replica",
    type=click.FloatRange(min=0),
    is_flag=False,
    flag_value=10.0,
    default=None,
    metavar="[SECONDS]",
    help="After the command, wait (default 10 s) until the --read-db replica has replayed every "
    "write so far, so a read from it sees them; exit 1 if it has not.",
)
@click.option(
    "--as",
    "editor",
    envvar="NEWSROOM_EDITOR",
    metavar="EDITOR",
    help="Who is making the change; required by every command that writes (env NEWSROOM_EDITOR).",
)
@click.version_option(package_name="newsroom", prog_name="newsroom")
@click.pass_context
def newsroom(
    ctx: click.Context,
    db_url: str,
    read_url: str | None,
    views_url: str | None,
    wait_replica: float | None,
    editor: str | None,
) -> None:
    """Live coverage as an append-only record of events.

    \b
    Example:
      newsroom --as "Ann Editor" story open syria-talks --headline "Syria talks"
      newsroom --as "Ann Editor" update post syria-talks --title "Talks begin" --body "First."
      newsroom page syria-talks
    """
    from infrastructure.bootstrap import bootstrap

    if wait_replica is not None and not read_url:
        raise BadUsage("--wait-replica needs a replica to wait for: pass --read-db URL")
    services = bootstrap(db_url, read_url=read_url or None, views_url=views_url or None)
    ctx.call_on_close(services.close)
    ctx.obj = Session(services, editor, wait_replica=wait_replica)


@newsroom.result_callback()
@click.pass_context
def wait_for_the_replica(ctx: click.Context, result: Any, **_options: Any) -> Any:
    """With --wait-replica, returns only once the replica has the command's writes."""
    session = ctx.find_object(Session)
    if session is not None and session.wait_replica is not None:
        from infrastructure.standby import ReplicaBehind

        try:
            session.services.wait_for_replica(session.wait_replica)
        except ReplicaBehind as error:
            raise Refused(
                f"the write is recorded, but {error}: a read from the replica may not show it yet"
            ) from None
    return result
