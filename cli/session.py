"""What the root group hands every command on ctx.obj: the store URL, the editor, the application."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from cli.errors import BadUsage
from domain.application import Newsroom


@dataclass
class Session:
    """Opens the application once, on first use, so `--help` never touches the database."""

    db_url: str
    editor_name: str | None
    _app: Newsroom | None = field(default=None, repr=False)

    @property
    def app(self) -> Newsroom:
        if self._app is None:
            from infrastructure.composition import open_newsroom

            self._app = open_newsroom(self.db_url)
            click.get_current_context().call_on_close(self._app.close)
        return self._app

    @property
    def editor(self) -> str:
        """The editor a write command is recorded against; required for every write."""
        if not self.editor_name or not self.editor_name.strip():
            raise BadUsage("this command writes, so it needs an editor: pass --as NAME or set NEWSROOM_EDITOR")
        return self.editor_name


pass_session = click.make_pass_decorator(Session)
