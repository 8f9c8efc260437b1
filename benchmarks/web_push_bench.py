"""The readers' web pushing changes: the delay from an editor's commit to each stream reader's
receipt, beside a bare sse-starlette broadcast of the same messages to as many readers (timed from
the moment of broadcasting), each server in its own process."""

from __future__ import annotations

import asyncio
import json
import sys
import time

import httpx

from benchmarks.rows import Findings, Row, at_most
from benchmarks.stores import fresh_store
from benchmarks.web_readers import Push, Readers, delays, settle
from benchmarks.web_servers import EDITOR, newsroom_serve, server_process, story_version

PUSH = "p99 push delay, commit to receipt, {readers:,} stream readers"


def push_ours(backend_url: str, readers: int, posts: int, interval: float) -> Push:
    """`newsroom serve` with `readers` on one story's stream while an editor posts every `interval` s."""
    from infrastructure.bootstrap import bootstrap

    app = bootstrap(backend_url).app
    try:
        with newsroom_serve(backend_url) as base:
            return push_ours_at(app, base, readers, posts, interval)
    finally:
        app.close()


def push_ours_at(app: object, base: str, readers: int, posts: int, interval: float) -> Push:
    """The push delays to `readers` of the story "push" on `newsroom serve` at `base`."""
    with Readers(f"{base}/stories/push/live", readers) as crowd:
        sent: dict[int, float] = {}
        for number in range(posts):
            app.post_update("push", f"Post {number}", "Pushed.", editor=EDITOR)  # type: ignore[attr-defined]
            sent[story_version(app, "push")] = time.perf_counter()
            time.sleep(interval)
        settle(crowd.receipts, readers, sent)
        # The messages as sent, for the bare broadcaster to send the same.
        answer = httpx.get(f"{base}/api/stories/push/changes?after=0&limit=1000").json()
    payloads = [json.dumps(change, ensure_ascii=False, separators=(",", ":")) for change in answer["changes"]]
    return Push(delays(crowd.receipts, sent), readers * posts, payloads)


def push_bare(readers: int, posts: int, interval: float, payloads: list[str]) -> Push:
    """A bare sse-starlette broadcast of the same messages to as many readers."""
    server = [sys.executable, "-m", "benchmarks.web_bench", "--bare-broadcaster"]
    with server_process(server, "bare broadcaster") as (_, base), Readers(f"{base}/live", readers) as crowd:
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
        settle(crowd.receipts, readers, sent)
    return Push(delays(crowd.receipts, sent), readers * posts)


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
        rows.append(push_row(backend, readers, posts, interval, ours))
    return Findings(rows=rows)


def push_row(backend: str, readers: int, posts: int, interval: float, ours: Push) -> Row:
    """The push row: `ours` beside the bare broadcaster sending the same messages."""
    bare = push_bare(readers, posts, interval, ours.payloads)
    return Row(
        PUSH.format(readers=readers), backend, ours.percentile(0.99), "s", bare.percentile(0.99),
        "a bare sse-starlette broadcast of the same messages to as many readers", at_most(2.0),
        f"{posts} posts {interval:g} s apart; delivered {ours.delivered:.1%} "
        f"(bare {bare.delivered:.1%}); p50 {ours.percentile(0.5) * 1e3:.0f} ms "
        f"(bare {bare.percentile(0.5) * 1e3:.1f} ms)",
    )  # fmt: skip


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
