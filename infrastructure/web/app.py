"""The readers' web as an ASGI app (Starlette): where its routes are wired, with the security
headers every answer carries. The routes live by what they serve: the pages (`pages.py`), the
JSON (`api.py`), the live stream (`stream.py`); how an answer is cached and validated is
`answers.py`, what the web says when it cannot answer `errors.py`.

Read-only: every write stays with the editors' commands. Every answer carries a weak `ETag` from
the story version and the representation, and `Cache-Control: no-cache`, so a browser or proxy
revalidates and gets a 304 answered from memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure.web.answers import GZIP_MINIMUM, STATIC, Answers
from infrastructure.web.api import ApiRoutes
from infrastructure.web.broadcaster import Broadcaster
from infrastructure.web.cors import ANY_ORIGIN, ReadOnlyCors
from infrastructure.web.errors import BadRequest, bad_request, http_error, missing, server_error
from infrastructure.web.limits import StreamSlots
from infrastructure.web.masthead import Masthead
from infrastructure.web.pages import PageRoutes
from infrastructure.web.reading import PageMissing
from infrastructure.web.site import BadCursor, Site
from infrastructure.web.stream import StreamRoute

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; "
        b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
HEARTBEAT_SECONDS = 15


def create_app(
    site: Site,
    *,
    follow: bool = True,
    heartbeat: float = HEARTBEAT_SECONDS,
    max_streams: int | None = None,
    public_url: str | None = None,
    about: Masthead | None = None,
    cors_origins: tuple[str, ...] = (ANY_ORIGIN,),
) -> Starlette:
    """The app over `site`; with `follow`, a broadcaster keeps it current while it runs (without,
    the caller refreshes the site, as tests do). Streams send a heartbeat every `heartbeat` s; past
    `max_streams` open at once a new one is answered 503. Links that must be absolute start with
    `public_url` (ending in `/`); without it they are relative. The request's Host is never used.
    `about` names the publisher (default: `masthead`'s); the JSON API and the streams may be read
    from `cors_origins`."""
    broadcaster = Broadcaster(site)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if follow:
            await broadcaster.start()
        try:
            yield
        finally:
            if follow:
                await broadcaster.stop()

    answers = Answers(site)
    pages = PageRoutes(site, answers, public_url or "/", about)
    api = ApiRoutes(site, answers)
    stream = StreamRoute(site, broadcaster, StreamSlots(max_streams), heartbeat)
    app = Starlette(
        routes=[
            Route("/", pages.index),
            Route("/stories/{slug}", pages.story),
            Route("/stories/{slug}/live", stream.live),
            Route("/stories/{slug}/feed.atom", pages.feed),
            Route("/api/stories", api.stories),
            Route("/api/stories/{slug}", api.story),
            Route("/api/stories/{slug}/changes", api.changes),
            Route("/healthz", api.health),
            Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(ReadOnlyCors, origins=cors_origins),
            Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM),
        ],
        exception_handlers={
            HTTPException: http_error,
            PageMissing: missing,
            BadRequest: bad_request,
            BadCursor: bad_request,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
    # A redirect to the path without its trailing slash would be built from the request's Host.
    app.router.redirect_slashes = False
    app.state.site = site
    app.state.broadcaster = broadcaster
    return app


class SecurityHeaders:
    """Adds the security headers, and `Cache-Control: no-cache` where none was set, to every answer;
    says each `Vary` name once (the answer and the GZip middleware may each have named one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in SECURITY_HEADERS if name not in names]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-cache"))
                message["headers"] = _vary_once(headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _vary_once(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with every `Vary` name said once, in one header."""
    varied = [value for name, value in headers if name.lower() == b"vary"]
    if not varied:
        return headers
    names: dict[bytes, bytes] = {}
    for value in varied:
        for token in value.split(b","):
            if token.strip():
                names.setdefault(token.strip().lower(), token.strip())
    kept = [(name, value) for name, value in headers if name.lower() != b"vary"]
    return [*kept, (b"vary", b", ".join(names.values()))]
