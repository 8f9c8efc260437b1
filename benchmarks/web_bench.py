"""The readers' web: serving a long story's page, pushing changes to stream readers, and a load run.

    python -m benchmarks.web_bench [--quick] [--stores sqlite postgresql]

Every figure is measured over loopback against a baseline in the same run: the page beside a bare
Starlette endpoint returning the same bytes (both under uvicorn in this process); the push delay
(from an editor's commit to a reader's receipt) beside a bare sse-starlette broadcast of the same
messages to the same number of readers, where the delay runs from the moment of broadcasting.
Readers are asyncio clients in a thread of this process; the server under test is `newsroom
serve` in its own process, the bare broadcaster likewise.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.rows import Findings, Row, at_least, at_most
from benchmarks.stores import fresh_store
from benchmarks.timing import interleaved

ROOT = Path(__file__).parents[1]
EDITOR = "bench"
PAGE = "serving GET /stories/SLUG of a {updates:,}-update story (requests/s)"
REVALIDATE = "a 304 revalidation of that page (requests/s)"
PUSH = "p99 push delay, commit to receipt, {readers:,} stream readers"
LOAD = "load: {readers:,} stream readers + {rate} page fetches/s while an editor posts"


# Serving a page.


def page_serving(backend: str, updates: int, runs: int, requests: int) -> Findings:
    """Requests per second for the page and for its 304, beside a bare endpoint with the same bytes
    (each server in its own process; one keep-alive client, requests one after another)."""
    from infrastructure.bootstrap import bootstrap

    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            _long_story(app, "long", updates)
        finally:
            app.close()
        with _newsroom_serve(store.url) as ours:
            return _page_rows(backend, ours, Path(store.folder), updates, runs, requests)


def _page_rows(backend: str, ours: str, folder: Path, updates: int, runs: int, requests: int) -> Findings:
    """The page rows, against `newsroom serve` at `ours` serving the story "long" of `updates`."""
    with httpx.Client() as client:
        first = client.get(f"{ours}/stories/long", headers={"Accept-Encoding": "identity"})
    body, etag = first.content, first.headers["etag"]
    page_file = folder / "page.html"
    page_file.write_bytes(body)
    bare_server = [sys.executable, "-m", "benchmarks.web_bench", "--bare-page", str(page_file)]
    with _process(bare_server, "bare page") as (_, bare), _Client(ours) as us, _Client(bare) as them:
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


def _long_story(app: object, slug: str, updates: int) -> None:
    app.open_story(slug, "A long story", standfirst="Many updates.", editor=EDITOR)  # type: ignore[attr-defined]
    for number in range(1, updates + 1):
        body = f"Body of update {number}, with *some* words."
        app.post_update(slug, f"Update {number}", body, editor=EDITOR)  # type: ignore[attr-defined]
    app.publish_story(slug, editor=EDITOR)  # type: ignore[attr-defined]


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


# Pushing changes.


@dataclass
class Receipts:
    """When each reader received each version (perf_counter seconds), and the stream's failures."""

    times: dict[int, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    connected: int = 0


async def _read_stream(client: httpx.AsyncClient, url: str, receipts: Receipts, stop: asyncio.Event) -> None:
    try:
        async with client.stream("GET", url) as response:
            receipts.connected += 1
            version = None
            async for line in response.aiter_lines():
                if line.startswith("id:"):
                    version = int(line[3:].strip())
                elif line == "" and version is not None:
                    receipts.times.setdefault(version, []).append(time.perf_counter())
                    version = None
                if stop.is_set():
                    return
    except httpx.HTTPError as error:
        if not stop.is_set():
            receipts.failures.append(repr(error))


class Readers:
    """`count` stream readers on `url`, in their own event loop in a thread."""

    def __init__(self, url: str, count: int) -> None:
        self.url, self.count = url, count
        self.receipts = Receipts()
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> Readers:
        self._thread.start()
        self._future = asyncio.run_coroutine_threadsafe(self._run(), self._loop)
        deadline = time.monotonic() + 60
        while self.receipts.connected < self.count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # every stream past its first bytes
        return self

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.count + 10, max_keepalive_connections=0)
        timeout = httpx.Timeout(60.0, connect=30.0)
        async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
            readers = [
                asyncio.create_task(_read_stream(client, self.url, self.receipts, self._stop))
                for _ in range(self.count)
            ]
            await self._stop.wait()
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)

    def __exit__(self, *_exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._future.result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@dataclass(frozen=True)
class Push:
    """Delays (seconds) from each message's moment to each receipt, and the share delivered."""

    delays: list[float]
    expected: int
    payloads: list[str] = field(default_factory=list)

    @property
    def delivered(self) -> float:
        return len(self.delays) / self.expected if self.expected else 0.0

    def percentile(self, share: float) -> float:
        if not self.delays:
            return float("nan")
        ordered = sorted(self.delays)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _delays(receipts: Receipts, sent: dict[int, float]) -> list[float]:
    return [t - sent[v] for v, times in receipts.times.items() if v in sent for t in times]


@contextmanager
def _process(args: list[str], ready: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A server process and the http://127.0.0.1:PORT it prints on stderr."""
    process = subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert found, f"{ready}: {line!r}"
        yield process, found.group(0)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def _newsroom_serve(url: str) -> Iterator[str]:
    """`newsroom serve` on the store at `url`, in its own process: its http://127.0.0.1:PORT."""
    with _process([sys.executable, "-m", "cli", "--db", url, "serve", "--port", "0"], "newsroom serve") as (
        _,
        base,
    ):
        yield base


def push_ours(backend_url: str, readers: int, posts: int, interval: float) -> Push:
    """`newsroom serve` with `readers` on one story's stream while an editor posts every `interval` s."""
    from infrastructure.bootstrap import bootstrap

    app = bootstrap(backend_url).app
    try:
        with _newsroom_serve(backend_url) as base:
            return _push_ours(app, base, readers, posts, interval)
    finally:
        app.close()


def _push_ours(app: object, base: str, readers: int, posts: int, interval: float) -> Push:
    """The push delays to `readers` of the story "push" on `newsroom serve` at `base`."""
    with Readers(f"{base}/stories/push/live", readers) as crowd:
        sent: dict[int, float] = {}
        for number in range(posts):
            app.post_update("push", f"Post {number}", "Pushed.", editor=EDITOR)  # type: ignore[attr-defined]
            sent[_version(app, "push")] = time.perf_counter()
            time.sleep(interval)
        _settle(crowd.receipts, readers, sent)
        # The messages as sent, for the bare broadcaster to send the same.
        answer = httpx.get(f"{base}/api/stories/push/changes?after=0&limit=1000").json()
    payloads = [json.dumps(change, ensure_ascii=False, separators=(",", ":")) for change in answer["changes"]]
    return Push(_delays(crowd.receipts, sent), readers * posts, payloads)


def push_bare(readers: int, posts: int, interval: float, payloads: list[str]) -> Push:
    """A bare sse-starlette broadcast of the same messages to as many readers."""
    server = [sys.executable, "-m", "benchmarks.web_bench", "--bare-broadcaster"]
    with _process(server, "bare broadcaster") as (_, base), Readers(f"{base}/live", readers) as crowd:
        sent: dict[int, float] = {}
        with httpx.Client() as client:
            for number in range(posts):
                version = 1000 + number
                sent[version] = time.perf_counter()
                client.post(
                    f"{base}/publish",
                    content=json.dumps({"id": version, "data": payloads[number % len(payloads)]}),
                )
                time.sleep(interval)
        _settle(crowd.receipts, readers, sent)
    return Push(_delays(crowd.receipts, sent), readers * posts)


def _settle(receipts: Receipts, readers: int, sent: dict[int, float], wait: float = 5.0) -> None:
    """Waits (bounded) until every reader has every message."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if all(len(receipts.times.get(v, [])) >= readers for v in sent):
            return
        time.sleep(0.05)


def _version(app: object, slug: str) -> int:
    return int(app.get_story(slug).version)  # type: ignore[attr-defined]


def push_latency(backend: str, reader_counts: list[int], posts: int, interval: float) -> Findings:
    from infrastructure.bootstrap import bootstrap

    rows: list[Row] = []
    for readers in reader_counts:
        with fresh_store(backend) as store:
            app = bootstrap(store.url).app
            try:
                app.open_story("push", "Pushed", editor=EDITOR)
                app.publish_story("push", editor=EDITOR)
            finally:
                app.close()
            ours = push_ours(store.url, readers, posts, interval)
        rows.append(_push_row(backend, readers, posts, interval, ours))
    return Findings(rows=rows)


def _push_row(backend: str, readers: int, posts: int, interval: float, ours: Push) -> Row:
    """The push row: `ours` beside the bare broadcaster sending the same messages."""
    bare = push_bare(readers, posts, interval, ours.payloads)
    return Row(
        PUSH.format(readers=readers), backend, ours.percentile(0.99), "s", bare.percentile(0.99),
        "a bare sse-starlette broadcast of the same messages to as many readers", at_most(2.0),
        f"{posts} posts {interval:g} s apart; delivered {ours.delivered:.1%} "
        f"(bare {bare.delivered:.1%}); p50 {ours.percentile(0.5) * 1e3:.0f} ms "
        f"(bare {bare.percentile(0.5) * 1e3:.1f} ms)",
    )  # fmt: skip


# The load run.


def load_run(backend: str, readers: int, rate: int, seconds: float) -> Findings:
    """Stream readers and page fetches at `rate` a second on loopback while an editor posts each second."""
    from infrastructure.bootstrap import bootstrap

    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            _long_story(app, "load", 50)
            with _newsroom_serve(store.url) as base:
                return _load_rows(backend, app, base, readers, rate, seconds)
        finally:
            app.close()


def _load_rows(backend: str, app: object, base: str, readers: int, rate: int, seconds: float) -> Findings:
    """The load run on the story "load" of `newsroom serve` at `base`, an editor posting with `app`."""
    with Readers(f"{base}/stories/load/live", readers) as crowd:
        fetches: list[float] = []
        failures: list[str] = []
        stop = threading.Event()
        fetcher = threading.Thread(
            target=_fetch, args=(f"{base}/stories/load", rate, stop, fetches, failures)
        )
        fetcher.start()
        sent: dict[int, float] = {}
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            app.post_update("load", "Load", "Under load.", editor=EDITOR)  # type: ignore[attr-defined]
            sent[_version(app, "load")] = time.perf_counter()
            time.sleep(1.0)
        stop.set()
        fetcher.join(30)
        _settle(crowd.receipts, readers, sent)
        push = Push(_delays(crowd.receipts, sent), readers * len(sent))
    achieved = len(fetches) / seconds
    fetched = Push(fetches, len(fetches))
    note = (
        f"{seconds:g} s; {len(sent)} posts, each to {push.delivered:.1%} of the readers; push p50 "
        f"{push.percentile(0.5) * 1e3:.0f} ms, p99 {push.percentile(0.99) * 1e3:.0f} ms; "
        f"{len(fetches)} page fetches ({achieved:.0f}/s), p50 {fetched.percentile(0.5) * 1e3:.0f} ms, "
        f"p99 {fetched.percentile(0.99) * 1e3:.0f} ms; "
        f"{len(failures) + len(crowd.receipts.failures)} failures"
    )
    return Findings(
        rows=[
            Row(
                LOAD.format(readers=readers, rate=rate),
                backend,
                push.delivered * 100,
                "% delivered",
                note=note,
            )
        ]
    )


def _fetch(url: str, rate: int, stop: threading.Event, times: list[float], failures: list[str]) -> None:
    """GETs `url` `rate` times a second (as closely as one client can) until stopped."""
    with httpx.Client(timeout=10) as client:
        next_at = time.monotonic()
        while not stop.is_set():
            started = time.perf_counter()
            try:
                client.get(url).raise_for_status()
                times.append(time.perf_counter() - started)
            except httpx.HTTPError as error:
                failures.append(repr(error))
            next_at += 1 / rate
            delay = next_at - time.monotonic()
            if delay > 0:
                stop.wait(delay)


# The bare broadcaster (run as its own process by push_bare).


def bare_broadcaster() -> None:
    """A bare sse-starlette app: POST /publish sends its message to every GET /live stream."""
    import uvicorn
    from sse_starlette import EventSourceResponse
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from infrastructure.web.server import bind

    queues: set[asyncio.Queue[dict[str, str]]] = set()

    async def live(_request: Request) -> EventSourceResponse:
        queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        queues.add(queue)

        async def events():  # type: ignore[no-untyped-def]
            try:
                while True:
                    yield await queue.get()
            finally:
                queues.discard(queue)

        return EventSourceResponse(events())

    async def publish(request: Request) -> Response:
        message = json.loads(await request.body())
        for queue in queues:
            queue.put_nowait({"id": str(message["id"]), "event": "posted", "data": message["data"]})
        return Response(status_code=204)

    sock = bind("127.0.0.1", 0)
    print(f"Serving on http://127.0.0.1:{sock.getsockname()[1]}/", file=sys.stderr, flush=True)
    app = Starlette(routes=[Route("/live", live), Route("/publish", publish, methods=["POST"])])
    uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)).run(sockets=[sock])


def quick_web_rows(backend: str) -> Findings:
    """Quick mode: every web row at the smallest size, the three on one store and one `newsroom
    serve` (the full run gives each its own store and server): a 20-update page, 5 requests, 2
    stream readers of 1 post, a 1-second load run with 2 readers and 2 fetches a second."""
    from infrastructure.bootstrap import bootstrap

    found = Findings()
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            _long_story(app, "long", 20)
            app.open_story("push", "Pushed", editor=EDITOR)
            app.publish_story("push", editor=EDITOR)
            _long_story(app, "load", 5)
            with _newsroom_serve(store.url) as base:
                found.extend(_page_rows(backend, base, Path(store.folder), 20, 1, 5))
                ours = _push_ours(app, base, 2, 1, 0.1)
                found.rows.append(_push_row(backend, 2, 1, 0.1, ours))
                found.extend(_load_rows(backend, app, base, 2, 2, 1))
        finally:
            app.close()
    return found


def web_rows(backend: str, *, quick: bool) -> Findings:
    """Every web row for the runner: page serving, push latency, and (full runs) the load run."""
    found = Findings()
    if quick:
        found.extend(quick_web_rows(backend))
    else:
        found.extend(page_serving(backend, 2_000, 5, 200))
        found.extend(push_latency(backend, [200, 1_000], posts=10, interval=1.0))
        found.extend(load_run(backend, readers=200, rate=50, seconds=20))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.web_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--stores", nargs="+", default=None)
    parser.add_argument("--bare-broadcaster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-page", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_broadcaster:
        bare_broadcaster()
        return 0
    if args.bare_page:
        bare_page(args.bare_page)
        return 0
    from benchmarks import report
    from benchmarks.results_file import RESULTS, current_commit
    from benchmarks.stores import available_backends

    started = time.perf_counter()
    rows = []
    for backend in args.stores or available_backends():
        rows += web_rows(backend, quick=args.quick).rows
    print(report.table(rows))
    print(report.row_notes(rows))
    if not args.quick:
        context = [
            f"Measured at commit {current_commit()} in {time.perf_counter() - started:.0f} s on "
            f"{os.cpu_count()} cores shared with other work "
            f"(load average at the end {os.getloadavg()[0]:.2f}); "
            "`python -m benchmarks.web_bench`.",
        ]
        text = report.markdown("Readers' web", context, rows, [], [])
        (RESULTS / "web.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
