"""Cross-origin reading (CORS) of the read-only JSON API and the live stream, for apps and
partners on other origins: GET and HEAD only, from the configured origins (`*` by default), a
preflight answered. The pages, the feeds and the static files are not opened to other origins."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

ANY_ORIGIN = "*"
METHODS = ("GET", "HEAD")
REQUEST_HEADERS = ("Last-Event-ID", "If-None-Match")
"""Headers a reader on another origin may send: a stream's resume point, a revalidation."""
EXPOSED_HEADERS = ("ETag", "Retry-After")
_OPEN = re.compile(r"^/api/|^/stories/[^/]+/live$")
"""The paths other origins may read: the JSON API and each story's stream."""
ORIGINS_MAX = 50


class BadOrigin(ValueError):
    """A CORS origin setting that is neither `*` nor a list of http(s) origins."""


def allowed_origins(setting: str) -> tuple[str, ...]:
    """`*`, or origins (`https://app.example[:port]`) separated by commas or blanks."""
    if setting.strip() == ANY_ORIGIN:
        return (ANY_ORIGIN,)
    origins = tuple(part for part in re.split(r"[,\s]+", setting) if part)
    if not origins or len(origins) > ORIGINS_MAX:
        raise BadOrigin(f"NEWSROOM_CORS_ORIGIN must be * or 1 to {ORIGINS_MAX} origins; got {setting[:80]!r}")
    for origin in origins:
        _check(origin)
    return origins


def _check(origin: str) -> None:
    parts = urlsplit(origin)
    problem = f"NEWSROOM_CORS_ORIGIN must be * or origins such as https://app.example; got {origin[:80]!r}"
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or origin != f"{parts.scheme}://{parts.netloc}"
    ):
        raise BadOrigin(problem)
    if "@" in parts.netloc or parts.netloc != parts.netloc.lower():
        raise BadOrigin(problem)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise BadOrigin(problem) from None


class ReadOnlyCors:
    """CORS (Starlette's) on the API's and the streams' paths; every other path passes as it is."""

    def __init__(self, app: ASGIApp, origins: tuple[str, ...] = (ANY_ORIGIN,)) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=METHODS,
            allow_headers=REQUEST_HEADERS,
            expose_headers=EXPOSED_HEADERS,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _OPEN.match(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
