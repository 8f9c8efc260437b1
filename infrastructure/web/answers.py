"""How the readers' web answers a GET: each representation made once (off the event loop) and
kept per story version, with a weak `ETag` from the version and the representation, so a
revalidation (`If-None-Match`) gets a 304 answered from memory; big bodies gzipped once."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from infrastructure.web.site import Site

HTML = "text/html; charset=utf-8"
JSON = "application/json"
ATOM = "application/atom+xml; charset=utf-8"
GZIP_MINIMUM = 1024
"""Bodies from this many bytes are gzipped for clients that accept it."""

STATIC = Path(__file__).parent / "static"
_RELEASED = [
    Path(__file__).parent / "templates",
    STATIC,
    Path(__file__).parents[1] / "rendering" / "templates",
]
"""What a representation is made with besides the store: the web's templates and static files,
and the update partial it shares with the CLI."""


class Answers:
    """The representations made for a site, and their validators."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.build = build_token()

    async def answer(
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
            return Response(status_code=304, headers={"ETag": etag, "Vary": "Accept-Encoding"})
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


def build_token() -> str:
    """Changes whenever a template or static file does, so a new release is not answered 304."""
    digest = hashlib.sha256()
    for path in sorted(path for folder in _RELEASED for path in folder.iterdir() if path.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _digest(build: str, key: tuple[object, ...]) -> str:
    return hashlib.sha256(f"{build}|{key!r}".encode()).hexdigest()[:24]


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == bare for candidate in header.split(","))
