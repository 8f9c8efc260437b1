"""`newsroom serve`: the readers' web (the live pages, the changes API, the stream and the feeds)."""

from __future__ import annotations

import click

from cli.errors import BadUsage, Refused
from cli.session import Session, pass_session


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port."
)
@click.option(
    "--public-url",
    envvar="NEWSROOM_PUBLIC_URL",
    metavar="URL",
    help="The address readers reach the site at (http or https), for the feeds' links; "
    "by default they are relative. [env: NEWSROOM_PUBLIC_URL]",
)
@click.option(
    "--max-streams",
    envvar="NEWSROOM_MAX_STREAMS",
    type=click.IntRange(min=1),
    metavar="N",
    help="Live streams open at once; past it readers get 503 and their pages poll instead. "
    "Default: three quarters of the connections the descriptor limit allows. [env: NEWSROOM_MAX_STREAMS]",
)
@click.option(
    "--header-timeout",
    envvar="NEWSROOM_HEADER_TIMEOUT",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="A request whose headers take longer is answered 408 and closed. [env: NEWSROOM_HEADER_TIMEOUT]",
)
@click.option(
    "--publisher-name",
    envvar="NEWSROOM_PUBLISHER_NAME",
    metavar="NAME",
    help="Who publishes the stories, as the pages' structured data and previews name them "
    "(default: Newsroom). [env: NEWSROOM_PUBLISHER_NAME]",
)
@click.option(
    "--publisher-url",
    envvar="NEWSROOM_PUBLISHER_URL",
    metavar="URL",
    help="The publisher's address (http or https; default: the public URL, else /). "
    "[env: NEWSROOM_PUBLISHER_URL]",
)
@click.option(
    "--publisher-logo",
    envvar="NEWSROOM_PUBLISHER_LOGO",
    metavar="URL",
    help="The publisher's logo (http or https; default: the site's own mark). [env: NEWSROOM_PUBLISHER_LOGO]",
)
@click.option(
    "--cors-origin",
    envvar="NEWSROOM_CORS_ORIGIN",
    default="*",
    show_default=True,
    metavar="ORIGINS",
    help="The origins (such as https://app.example, separated by commas) that may read the JSON API "
    "and the live streams, GET and HEAD only; * for any. [env: NEWSROOM_CORS_ORIGIN]",
)
@pass_session
def serve(
    session: Session,
    host: str,
    port: int,
    public_url: str | None,
    max_streams: int | None,
    header_timeout: float,
    publisher_name: str | None,
    publisher_url: str | None,
    publisher_logo: str | None,
    cors_origin: str,
) -> None:
    """Serve the published stories to readers over HTTP until Ctrl-C or SIGTERM (read-only).

    The server follows the store like `projections run --follow` and pushes each change to open
    pages within moments.

    \b
    Example:
      newsroom serve
      newsroom --db postgresql://postgres@127.0.0.1:5432/news serve --port 8080
    """
    from infrastructure.web.cors import BadOrigin, allowed_origins
    from infrastructure.web.limits import LimitsTooLow, descriptor_limit, limits_for
    from infrastructure.web.masthead import BadPublisher, masthead
    from infrastructure.web.public_url import BadPublicUrl, public_base
    from infrastructure.web.reading import Reading
    from infrastructure.web.server import bind
    from infrastructure.web.server import serve as run

    try:
        base = public_base(public_url) if public_url is not None else None
        limits = limits_for(descriptor_limit(), max_streams=max_streams, header_timeout=header_timeout)
        about = masthead(base, name=publisher_name, url=publisher_url, logo=publisher_logo)
        origins = allowed_origins(cors_origin)
    except (BadPublicUrl, LimitsTooLow, BadPublisher, BadOrigin) as error:
        raise BadUsage(str(error)) from None
    reading = Reading(session.services)
    # The store, its replica and the read models are opened before the port is bound, as every
    # command opens its store first: a wrong --db fails in one line, not after "Serving on".
    reading.catch_up()
    reading.stories()
    reading.last_position()
    try:
        sock = bind(host, port, backlog=limits.backlog)
    except OSError as error:
        raise Refused(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"Serving on http://{shown}:{bound_port}/ (Ctrl-C to stop)", err=True)
    run(reading, sock, limits=limits, public_url=base, about=about, cors_origins=origins)
    click.echo("Stopped.", err=True)
