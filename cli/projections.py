"""`newsroom projections ...`: where the read models stand, and catching them up or rebuilding them."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session

if TYPE_CHECKING:
    from infrastructure.projections.runner import ProjectionStatus
    from infrastructure.replica_lag import ReplicaLag

NAMES = ("live-page", "history")


@click.group()
def projections() -> None:
    """Keep the read models (the live page and the revision history) up to date.

    Commands that write leave them behind; commands that read catch them up first. Run
    `projections run --follow` to keep them current, so reads (and read-only stores) find nothing
    to apply.

    \b
    Example:
      newsroom projections status
      newsroom projections run --follow
    """


@projections.command("status")
@format_option()
@pass_session
def status(session: Session, output_format: str) -> None:
    """Show each projection's tracked position, the store's last position and the lag.

    \b
    Example:
      newsroom projections status --format json
    """
    rows = session.runner.status()
    lag = session.services.replica_lag()
    if output_format == "json":
        echo_json([_status_record(s, lag) for s in rows])
        return
    for s in rows:
        click.echo(
            f"{s.name:<10} position {s.position:>8} of {s.store_position:<8} lag {s.lag:<8} "
            f"version {s.version}  {s.state}" + (f"  held by {s.holder}" if s.holder else "")
        )
    if lag is not None:
        click.echo(
            f"replica    position {lag.replica_position:>8} of {lag.store_position:<8} "
            f"lag {lag.events} events, {lag.seconds:g} s"
        )


def _status_record(s: ProjectionStatus, lag: ReplicaLag | None) -> dict[str, Any]:
    """One projection's status; "holder" only while a follower holds it, "replica_lag_*" only
    with --read-db (so a store without either reads as it always has)."""
    record: dict[str, Any] = {
        "name": s.name,
        "version": s.version,
        "built_version": s.built_version,
        "position": s.position,
        "store_position": s.store_position,
        "lag": s.lag,
        "state": s.state,
    }
    if s.holder:
        record["holder"] = s.holder
    if lag is not None:
        record["replica_lag_events"] = lag.events
        record["replica_lag_seconds"] = lag.seconds
    return record


@projections.command("catch-up")
@pass_session
def catch_up(session: Session) -> None:
    """Apply every event not yet in the read models, then stop.

    \b
    Example:
      newsroom projections catch-up
    """
    with stop_on_signals() as stop:
        applied = session.runner.catch_up(stop=stop)
    click.echo(f"caught up: {applied} notifications applied{' (stopped early)' if stop.is_set() else ''}")


@projections.command("run")
@click.option("--follow", is_flag=True, help="Keep running, applying new events as they are recorded.")
@click.option(
    "--poll", "poll_seconds", type=click.FloatRange(min=0.05), default=0.5, show_default=True,
    help="Seconds between looks at an SQLite store (PostgreSQL notifies instead).",
)  # fmt: skip
@pass_session
def run(session: Session, follow: bool, poll_seconds: float) -> None:
    """Catch up, and with --follow keep following the store until Ctrl-C or SIGTERM.

    It stops between two transactions, so nothing is left half applied.

    \b
    Example:
      newsroom --db postgresql://newsroom@db/newsroom projections run --follow
    """
    runner = session.runner
    with stop_on_signals() as stop:
        if not follow:
            applied = runner.catch_up(stop=stop)
            click.echo(f"caught up: {applied} notifications applied")
            return
        click.echo("following the store; Ctrl-C stops", err=True)
        runner.follow(stop, poll_seconds=poll_seconds, every_round=session.services.publisher.tick)
    click.echo("stopped", err=True)


@projections.command("rebuild")
@click.argument("name", required=False, type=click.Choice(NAMES))
@pass_session
def rebuild(session: Session, name: str | None) -> None:
    """Drop a projection's tables (by default both) and rebuild them from the first event.

    \b
    Example:
      newsroom projections rebuild history
    """
    names = [name] if name else list(NAMES)
    runner = session.runner
    with stop_on_signals() as stop, progress_bar(f"rebuilding {', '.join(names)}") as on_progress:
        applied = runner.rebuild(names, stop=stop, on_progress=on_progress)
    if stop.is_set():
        click.echo(f"stopped after {applied} notifications; `newsroom projections catch-up` finishes")
        return
    click.echo(f"rebuilt {', '.join(names)} from {applied} notifications")


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by Ctrl-C or SIGTERM instead of interrupting mid-transaction."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def request_stop(_signum: int, _frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal (stderr); nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:
        done = 0

        def on_progress(position: int, target: int) -> None:
            nonlocal done
            bar.length = max(target, 1)
            bar.update(position - done)
            done = position

        yield on_progress
