"""What the root group hands every command on ctx.obj: the process's services (built once by
`infrastructure.bootstrap`) and the editor named with --as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from cli.errors import BadUsage

if TYPE_CHECKING:
    from domain.application import Newsroom
    from infrastructure.bootstrap import Services
    from infrastructure.projections.queries import ReadQueries
    from infrastructure.projections.runner import ProjectionRunner


@dataclass
class Session:
    """The services and the editor; nothing is opened until a command uses it, so `--help`
    never touches the database.

    A write only appends events: the read models are caught up by the next command that reads
    them (`queries()`), or by a follower (`newsroom projections run --follow`).
    """

    services: Services
    editor_name: str | None
    wait_replica: float | None = None
    """With --wait-replica: seconds to wait, after the command, for the replica to replay it."""

    @property
    def app(self) -> Newsroom:
        return self.services.app

    @property
    def reader(self) -> Newsroom:
        """The application reading events: from the --read-db replica if there is one."""
        return self.services.reader

    @property
    def runner(self) -> ProjectionRunner:
        return self.services.runner

    @property
    def editor(self) -> str:
        """The editor a write command is recorded against; required for every write."""
        if not self.editor_name or not self.editor_name.strip():
            raise BadUsage(
                "this command writes, so it needs an editor: pass --as NAME or set NEWSROOM_EDITOR"
            )
        return self.editor_name

    def queries(self) -> ReadQueries:
        """The read queries, the read models caught up with the store first, so a reader sees
        every write; on a read-only store whose read models lag, what they lack applied in memory,
        with a warning."""
        queries = self.services.caught_up()
        if self.services.in_memory:
            click.echo(
                "warning: the read models lag the store, which is read-only, so the events they lack "
                "were applied in memory for this command; keep them current with `newsroom projections "
                "run --follow` (or `newsroom projections catch-up`) on a writable --db",
                err=True,
            )
        return queries


pass_session = click.make_pass_decorator(Session)
