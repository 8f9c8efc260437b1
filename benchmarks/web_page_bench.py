"""The readers' web serving a long story's page: `newsroom serve` beside a bare Starlette endpoint
returning the same bytes (each under uvicorn in its own process), over one keep-alive client."""

from __future__ import annotations

import http.client
import sys
from pathlib import Path

import httpx

from benchmarks.rows import Findings, Row, at_least
from benchmarks.stores import fresh_store
from benchmarks.timing import interleaved
from benchmarks.web_servers import long_story, newsroom_serve, server_process

PAGE = "serving GET /stories/SLUG of a {updates:,}-update story (requests/s)"
REVALIDATE = "a 304 revalidation of that page (requests/s)"


def page_serving(backend: str, updates: int, runs: int, requests: int) -> Findings:
    """Requests per second for the page and for its 304, beside a bare endpoint with the same bytes
    (each server in its own process; one keep-alive client, requests one after another)."""
    from infrastructure.bootstrap import bootstrap

    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            long_story(app, "long", updates)
        finally:
            app.close()
        with newsroom_serve(store.url) as ours:
            return page_rows(backend, ours, Path(store.folder), updates, runs, requests)


def page_rows(backend: str, ours: str, folder: Path, updates: int, runs: int, requests: int) -> Findings:
    """The page rows, against `newsroom serve` at `ours` serving the story "long" of `updates`."""
    with httpx.Client() as client:
        first = client.get(f"{ours}/stories/long", headers={"Accept-Encoding": "identity"})
    body, etag = first.content, first.headers["etag"]
    page_file = folder / "page.html"
    page_file.write_bytes(body)
    bare_server = [sys.executable, "-m", "benchmarks.web_bench", "--bare-page", str(page_file)]
    with server_process(bare_server, "bare page") as (_, bare), _Client(ours) as us, _Client(bare) as them:
        page = interleaved(
            lambda: us.get_many("/stories/long", {}, requests),
            lambda: them.get_many("/", {}, requests),
            runs,
        )
        revalidation = interleaved(
            lambda: us.get_many("/stories/long", {"If-None-Match": etag}, requests),
            lambda: them.get_many("/", {}, requests),
            runs,
        )  # fmt: skip
    note = (
        f"{len(body):,} bytes uncompressed; {requests} sequential keep-alive requests each, "
        f"median of {runs} interleaved"
    )
    return Findings(
        rows=[
            Row(
                PAGE.format(updates=updates), backend, requests / page.subject, "req/s",
                requests / page.baseline, "a bare Starlette endpoint returning the same bytes",
                at_least(0.5), note,
            ),
            Row(
                REVALIDATE, backend, requests / revalidation.subject, "req/s",
                requests / revalidation.baseline, "the bare endpoint's 200 with the page",
                at_least(0.8), note,
            ),
        ]
    )  # fmt: skip


class _Client:
    """One keep-alive HTTP/1.1 connection (http.client: the lightest client, so the servers show)."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)

    def __enter__(self) -> _Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.connection.close()

    def get_many(self, path: str, headers: dict[str, str], count: int) -> None:
        for _ in range(count):
            self.connection.request("GET", path, headers={"Accept-Encoding": "identity", **headers})
            answer = self.connection.getresponse()
            answer.read()
            assert answer.status in (200, 304), answer.status


def bare_page(path: str) -> None:
    """A bare Starlette endpoint returning the bytes of the file at `path`, under uvicorn."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from infrastructure.web.server import bind

    body = Path(path).read_bytes()

    async def page(_request: object) -> Response:
        return Response(body, media_type="text/html; charset=utf-8")

    sock = bind("127.0.0.1", 0)
    print(f"Serving on http://127.0.0.1:{sock.getsockname()[1]}/", file=sys.stderr, flush=True)
    app = Starlette(routes=[Route("/", page)])
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])
