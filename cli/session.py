"""What the root group hands every command on ctx.obj: the store URL, the editor, the application."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from cli.errors import BadUsage

if TYPE_CHECKING:
    from infrastructure.composition import NewsroomWithReadModels
    from infrastructure.projections.queries import ReadQueries
    from infrastructure.projections.read_models import ReadModels


@dataclass
class Session:
    """Opens the application once, on first use, so `--help` never touches the database.

    A write only appends events: the read models are caught up by the next command that reads
    them (`read_models()`), or by a follower (`newsroom projections run --follow`).
    """

    db_url: str
    editor_name: str | None
    _app: NewsroomWithReadModels | None = field(default=None, repr=False)

    @property
    def app(self) -> NewsroomWithReadModels:
        if self._app is None:
            from infrastructure.composition import open_newsroom_with_read_models

            self._app = open_newsroom_with_read_models(self.db_url)
            click.get_current_context().call_on_close(self._app.close)
        return self._app

    @property
    def editor(self) -> str:
        """The editor a write command is recorded against; required for every write."""
        if not self.editor_name or not self.editor_name.strip():
            raise BadUsage(
                "this command writes, so it needs an editor: pass --as NAME or set NEWSROOM_EDITOR"
            )
        return self.editor_name

    def queries(self) -> ReadQueries:
        """The read side's questions, answered from read models caught up with the store first."""
        return self.read_models().queries

    def read_models(self) -> ReadModels:
        """The read models, caught up with the store first, so a reader sees every write.

        On a read-only store whose read models lag, they are built in memory for this command.
        """
        models = self.app.read_models.up_to_date()
        if models.in_memory:
            click.echo(
                "warning: the read models lag the store, which is read-only, so they were built in "
                "memory for this command; keep them current with `newsroom projections run --follow` "
                "(or `newsroom projections catch-up`) on a writable --db",
                err=True,
            )
            click.get_current_context().call_on_close(models.close)
        return models


pass_session = click.make_pass_decorator(Session)
