"""The readers' web as an ASGI app (Starlette): routes, caching headers, security headers, errors.

Read-only: every write stays with the editors' commands. Every answer carries a weak `ETag` from
the story version and the representation, and `Cache-Control: no-cache`, so a browser or proxy
revalidates and gets a 304 answered from memory.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure.page_json import page_summary_to_dict
from infrastructure.rendering.json_views import render_page_json
from infrastructure.web.broadcaster import Batch, Broadcaster
from infrastructure.web.changes import READER_KINDS, changes_json
from infrastructure.web.feed import render_feed
from infrastructure.web.html import IndexEntry, render_error, render_index, render_story
from infrastructure.web.limits import RETRY_AFTER_SECONDS, StreamSlots
from infrastructure.web.reading import PageMissing
from infrastructure.web.site import DEFAULT_LIMIT, MAX_LIMIT, BadCursor, Site

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; "
        b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
HTML = "text/html; charset=utf-8"
JSON = "application/json"
ATOM = "application/atom+xml; charset=utf-8"
HEARTBEAT_SECONDS = 15
GZIP_MINIMUM = 1024
"""Bodies from this many bytes are gzipped for clients that accept it."""
SHUTDOWN_GRACE_SECONDS = 1.0
"""How long a stream has to end by itself once the server is stopping, before it is cut."""


class BadRequest(ValueError):
    """A query parameter readers cannot have meant; answered 400 with one line."""


def create_app(
    site: Site,
    *,
    follow: bool = True,
    heartbeat: float = HEARTBEAT_SECONDS,
    max_streams: int | None = None,
    public_url: str | None = None,
) -> Starlette:
    """The app over `site`; with `follow`, a broadcaster keeps it current while it runs (without,
    the caller refreshes the site, as tests do). Streams send a heartbeat every `heartbeat` s; past
    `max_streams` open at once a new one is answered 503. Links that must be absolute start with
    `public_url` (ending in `/`); without it they are relative. The request's Host is never used."""
    broadcaster = Broadcaster(site)
    build = _build_token()

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if follow:
            await broadcaster.start()
        try:
            yield
        finally:
            if follow:
                await broadcaster.stop()

    web = _Routes(site, broadcaster, build, heartbeat, StreamSlots(max_streams), public_url or "/")
    app = Starlette(
        routes=[
            Route("/", web.index),
            Route("/stories/{slug}", web.story),
            Route("/stories/{slug}/live", web.live),
            Route("/stories/{slug}/feed.atom", web.feed),
            Route("/api/stories", web.api_stories),
            Route("/api/stories/{slug}", web.api_story),
            Route("/api/stories/{slug}/changes", web.api_changes),
            Route("/healthz", web.healthz),
            Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders), Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM)],
        exception_handlers={
            HTTPException: _http_error,
            PageMissing: _missing,
            BadRequest: _bad_request,
            BadCursor: _bad_request,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )
    # A redirect to the path without its trailing slash would be built from the request's Host.
    app.router.redirect_slashes = False
    app.state.site = site
    app.state.broadcaster = broadcaster
    return app


class _Routes:
    def __init__(
        self,
        site: Site,
        broadcaster: Broadcaster,
        build: str,
        heartbeat: float,
        streams: StreamSlots,
        base_url: str,
    ) -> None:
        self.heartbeat = heartbeat
        self.streams = streams
        self.base_url = base_url
        self.site = site
        self.broadcaster = broadcaster
        self.build = build

    async def index(self, request: Request) -> Response:
        cards = self.site.visible_cards()
        tag = hashlib.sha256(repr(sorted((c.slug, c.version) for c in cards)).encode()).hexdigest()[:16]

        def make() -> str:
            return render_index([IndexEntry(self.site.page(c.slug)) for c in cards])

        return await self._answer(request, ("index", tag), HTML, make)

    async def story(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        params = request.query_params
        version = _version_param(params.get("version"))
        moment = _moment_param(params.get("at"))
        if version is not None and moment is not None:
            raise BadRequest("give version or at, not both")
        if moment is not None:
            version = await run_in_threadpool(self.site.version_at, slug, moment)
        key_events_only = params.get("filter") == "key-events"
        wanted = card.version if version is None else version
        archived = version is not None

        def make() -> str:
            page = self.site.page(slug, wanted)
            return render_story(page, kinds=READER_KINDS, archived=archived, key_events_only=key_events_only)

        # The story's version validates a past version's page too: a takedown rewrites it.
        key = ("story", slug, wanted, archived, key_events_only)
        return await self._answer(request, key, HTML, make, validator=card.version)

    async def feed(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        base_url = self.base_url

        def make() -> str:
            page = self.site.page(slug, card.version)
            events = self.site.events(slug, card.version)
            return render_feed(page, events, base_url=base_url)

        return await self._answer(request, ("feed", slug, card.version, base_url), ATOM, make)

    async def healthz(self, request: Request) -> Response:
        """Where the read models and the replica stand, as JSON, never cached."""
        health = await run_in_threadpool(self.site.reading.health)
        body = json.dumps(health, indent=2) + "\n"
        return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})

    async def api_stories(self, request: Request) -> Response:
        cards = self.site.visible_cards()
        tag = hashlib.sha256(repr(sorted((c.slug, c.version) for c in cards)).encode()).hexdigest()[:16]

        def make() -> str:
            stories = []
            for card in cards:
                stories.append(page_summary_to_dict(self.site.page(card.slug).page))
            return json.dumps(stories, ensure_ascii=False, indent=2) + "\n"

        return await self._answer(request, ("stories", tag), JSON, make)

    async def api_story(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        return await self._answer(
            request,
            ("page", slug, card.version),
            JSON,
            lambda: render_page_json(self.site.page(slug, card.version).page),
        )

    async def api_changes(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        after = _int_param(request.query_params.get("after"), "after", default=None)
        if after is None:
            raise BadRequest("give after=V, the story version you have (0 for everything)")
        limit = _int_param(request.query_params.get("limit"), "limit", default=None)
        limit = DEFAULT_LIMIT if limit is None else limit
        if not 1 <= limit <= MAX_LIMIT:
            raise BadRequest(f"limit must be from 1 to {MAX_LIMIT}")
        if not 0 <= after <= card.version:
            raise BadCursor(f"after must be a version of {slug!r} from 0 to {card.version}; got {after}")

        def make() -> str:
            answer = self.site.changes(slug, after, limit, card=card)
            return changes_json(slug, answer.version, answer.changes, answer.has_more)

        return await self._answer(request, ("changes", slug, card.version, after, limit), JSON, make)

    async def live(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        self.site.visible(slug)
        header = request.headers.get("last-event-id")
        after = _int_param(header or request.query_params.get("after"), "after", default=None)
        # Subscribe, then read the version: both on the loop, so nothing falls between them.
        queue = self.broadcaster.subscribe(slug)
        card = self.site.visible(slug)
        if after is None:
            after = card.version
        if not 0 <= after <= card.version:
            self.broadcaster.unsubscribe(slug, queue)
            raise BadCursor(f"after must be a version of {slug!r} from 0 to {card.version}; got {after}")
        if card.status == "closed" and after >= card.version:
            self.broadcaster.unsubscribe(slug, queue)
            return Response(status_code=204)  # the stream has ended: EventSource stops reconnecting
        if not self.streams.take():
            self.broadcaster.unsubscribe(slug, queue)
            return _busy(request)

        shutdown = anyio.Event()  # set by sse-starlette when the server is asked to stop

        async def events() -> AsyncIterator[ServerSentEvent]:
            try:
                sent = after
                while sent < card.version:
                    answer = await run_in_threadpool(
                        self.site.changes, slug, sent, MAX_LIMIT, through=card.version, card=card
                    )
                    for change in answer.changes:
                        yield _event(change)
                        if change.kind == "closed" and change.version == card.version:
                            return
                    sent = answer.version
                while True:
                    batch = await _next_batch(queue, shutdown)
                    if batch is None:
                        return
                    for change in batch:
                        if change.version <= sent:
                            continue
                        sent = change.version
                        yield _event(change)
                        if change.kind == "closed":
                            return
            finally:
                self.broadcaster.unsubscribe(slug, queue)

        return _CountedStream(
            self.streams,
            events(),
            ping=self.heartbeat,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            shutdown_event=shutdown,
            shutdown_grace_period=SHUTDOWN_GRACE_SECONDS,
        )

    async def _answer(
        self,
        request: Request,
        key: tuple[object, ...],
        media_type: str,
        make: Callable[[], str],
        *,
        validator: object = None,
    ) -> Response:
        """The representation named by `key`, made once (off the loop) and kept; 304 if the
        client has it. Its ETag also names the erasures so far (a name may be in any answer),
        and `validator`, what else changes it."""
        etag = f'W/"{_digest(self.build, (*key, validator, self.site.erasures))}"'
        if _matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers={"ETag": etag})
        since = self.site.generation.value  # a purge during this request: keep nothing it made
        body = self.site.rendered.peek(key)  # made already: no thread needed
        if body is None:
            body = await run_in_threadpool(self.site.rendered.get, key, lambda: make().encode())
        headers = {"ETag": etag, "Vary": "Accept-Encoding"}
        if len(body) >= GZIP_MINIMUM and "gzip" in request.headers.get("accept-encoding", ""):
            # Compressed once per version and kept, rather than on every request.
            packed = self.site.rendered.get(
                (*key, "gzip"), lambda: gzip.compress(body, 6, mtime=0), since=since
            )
            return Response(packed, media_type=media_type, headers={**headers, "Content-Encoding": "gzip"})
        return Response(body, media_type=media_type, headers=headers)


class _CountedStream(EventSourceResponse):
    """An event stream that gives its slot back however it ends (even if it never started)."""

    def __init__(self, streams: StreamSlots, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.streams = streams

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.streams.give_back()


async def _next_batch(queue: asyncio.Queue[Batch], shutdown: anyio.Event) -> Batch:
    """The next batch of changes, or None once the server is stopping (the stream then ends)."""
    getter = asyncio.ensure_future(queue.get())
    stopper = asyncio.ensure_future(shutdown.wait())
    done, pending = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return getter.result() if getter in done else None


def _event(change: Any) -> ServerSentEvent:
    return ServerSentEvent(data=change.json_text(), id=str(change.version), event=change.kind, retry=1000)


def _digest(build: str, key: tuple[object, ...]) -> str:
    return hashlib.sha256(f"{build}|{key!r}".encode()).hexdigest()[:24]


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == bare for candidate in header.split(","))


def _build_token() -> str:
    """Changes whenever a template or static file does, so a new release is not answered 304."""
    digest = hashlib.sha256()
    for path in sorted([*TEMPLATES.iterdir(), *STATIC.iterdir()]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _int_param(value: str | None, name: str, *, default: int | None) -> int | None:
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise BadRequest(f"{name} must be a whole number from 0; got {value[:40]!r}")
    return int(value)


def _version_param(value: str | None) -> int | None:
    version = _int_param(value, "version", default=None)
    if version is not None and version < 1:
        raise BadRequest("version must be 1 or more")
    return version


def _moment_param(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise BadRequest(
            f"at must be an ISO 8601 time such as 2013-05-10T14:32:00Z; got {value[:40]!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Errors: HTML for pages, one line of JSON for the API; never a traceback.


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(
    request: Request, status: int, title: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    if _wants_json(request):
        body = json.dumps({"error": message}) + "\n"
        return Response(body, status_code=status, media_type=JSON, headers=headers)
    page = render_error(status, title, message)
    return Response(page, status_code=status, media_type=HTML, headers=headers)


def _busy(request: Request) -> Response:
    """Every stream is taken: the page's client polls the changes feed until `Retry-After`."""
    return _error(
        request,
        503,
        "Too many readers",
        "Too many live readers right now; the page follows the story by polling instead.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


async def _missing(request: Request, _error_: Exception) -> Response:
    return _error(request, 404, "Not found", "There is no such story or page here.")


async def _bad_request(request: Request, error: Exception) -> Response:
    return _error(request, 400, "Bad request", str(error))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        return await _missing(request, error)
    if error.status_code == 405:
        return _error(request, 405, "Method not allowed", "Readers can only GET here.")
    return _error(request, error.status_code, "Error", str(error.detail))


async def _server_error(request: Request, _error_: Exception) -> Response:
    return _error(
        request, 500, "Something went wrong", "Something went wrong on our side; try again shortly."
    )


class SecurityHeaders:
    """Adds the security headers, and `Cache-Control: no-cache` where none was set, to every answer."""

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
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


Handler = Callable[[Request], Awaitable[Response]]
