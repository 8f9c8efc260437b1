"""`newsroom serve`: the readers' web (the live pages, the changes API, the stream and the feeds)."""

from __future__ import annotations

import click

from cli.errors import Refused
from cli.session import Session, pass_session


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port."
)
@pass_session
def serve(session: Session, host: str, port: int) -> None:
    """Serve the published stories to readers over HTTP until Ctrl-C or SIGTERM (read-only).

    The server follows the store like `projections run --follow` and pushes each change to open
    pages within moments.

    \b
    Example:
      newsroom serve
      newsroom --db postgresql://postgres@127.0.0.1:5432/news serve --port 8080
    """
    from infrastructure.web.reading import Reading
    from infrastructure.web.server import bind
    from infrastructure.web.server import serve as run

    reading = Reading(session.services)
    # The store, its replica and the read models are opened before the port is bound, as every
    # command opens its store first: a wrong --db fails in one line, not after "Serving on".
    reading.catch_up()
    reading.stories()
    reading.last_position()
    try:
        sock = bind(host, port)
    except OSError as error:
        raise Refused(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"Serving on http://{shown}:{bound_port}/ (Ctrl-C to stop)", err=True)
    run(reading, sock)
    click.echo("Stopped.", err=True)
