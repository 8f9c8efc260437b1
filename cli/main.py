"""The `newsroom` command: the root group, its global options and its error handling."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from typing import Any

import click

from cli import dataclass_methods
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
        from domain.errors import NewsroomError
        from infrastructure.store import StoreUnavailable

        try:
            return super().invoke(ctx)
        except NewsroomError as error:
            from cli.messages import refusal_message  # only a refused command words a message

            raise Refused(refusal_message(error)) from None
        except StoreUnavailable as error:
            raise Refused(str(error)) from None
        except store_failures() as error:
            raise Refused(describe_store_failure(error)) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        methods = dataclass_methods.install()  # before a command imports the domain's events
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
        finally:
            methods.save()
        sys.exit(result if isinstance(result, int) else 0)


def store_failures() -> tuple[type[Exception], ...]:
    """What a database raises when it fails under a command: the library's errors, and the
    drivers' own from code that talks to them directly (the read models through SQLAlchemy, the
    key store). Only drivers this process loaded are named: a write never imports SQLAlchemy."""
    from eventsourcing.persistence import PersistenceError

    failures: list[type[Exception]] = [PersistenceError, sqlite3.Error]
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        failures.append(DBAPIError)
    if "psycopg" in sys.modules:
        import psycopg

        failures.append(psycopg.Error)
    return tuple(failures)


def describe_store_failure(error: Exception) -> str:
    """One line: what the database said, that nothing was written, and what to do."""
    said = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    text = " ".join(str(said).split()) or type(said).__name__
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return (
            f"the database is read-only ({text}): nothing was written; use a writable --db, "
            "or read a store this process may not write with sqlite:///PATH?mode=ro"
        )
    if "disk is full" in lowered or "no space left" in lowered or "file too large" in lowered:
        return f"the disk is full ({text}): nothing was written; free some space and try again"
    if "disk i/o error" in lowered:
        return (
            f"the disk failed a read or write ({text}; a full disk says this too): nothing was "
            "written; check the disk's free space and try again"
        )
    if "locked" in lowered or "lock timeout" in lowered:
        return f"the database stayed locked by another process ({text}): nothing was written; try again"
    if "unable to open" in lowered or "permission denied" in lowered:
        return f"the database cannot be opened ({text}): nothing was written; check the --db path's access"
    unreachable = ("connection refused", "connection failed", "server closed", "couldn't get a connection")
    if any(sign in lowered for sign in unreachable):
        return (
            f"the database could not be reached ({text}): nothing was written; check that the server "
            "is running and try again"
        )
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
@click.option(
    "--key",
    "signing_key",
    envvar="NEWSROOM_SIGNING_KEY",
    metavar="FILE",
    help="The Ed25519 SSH private key that signs your changes on a store that signs (env "
    "NEWSROOM_SIGNING_KEY; default: the ssh-agent at SSH_AUTH_SOCK).",
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
    signing_key: str | None,
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
    for option, url in (("--db", db_url), ("--read-db", read_url), ("--views-db", views_url)):
        _refuse_unparseable(option, url)
    services = bootstrap(
        db_url, read_url=read_url or None, views_url=views_url or None, signing_key=signing_key
    )
    ctx.call_on_close(services.close)
    ctx.obj = Session(services, editor, wait_replica=wait_replica)


def _refuse_unparseable(option: str, url: str | None) -> None:
    """Refuses, before anything connects, a URL the URL parser itself rejects (a port out of range,
    a bracket left open) or `parse_url` does (a part it cannot mean): a --read-db or --views-db
    a command would only look at later is refused as surely as --db. Every other fault of a URL
    is reported when the store is opened, as for any store."""
    from infrastructure.store import StoreUnavailable, parse_url

    if not url:
        return
    try:
        parse_url(url)
    except ValueError as error:
        raise Refused(f"{option} {_without_password(url)!r} is not a valid database URL ({error})") from None
    except StoreUnavailable as error:
        raise Refused(str(error)) from None


def _without_password(url: str) -> str:
    head, at, tail = url.rpartition("@")
    if not at or ":" not in head.partition("://")[2]:
        return url
    scheme, _, user = head.partition("://")
    return f"{scheme}://{user.split(':', 1)[0]}:***@{tail}"


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
