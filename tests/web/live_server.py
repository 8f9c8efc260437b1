"""A real uvicorn serving the readers' web on 127.0.0.1 (a free port) in a thread, and a bounded
reader of its event streams."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from infrastructure.web.app import create_app
from infrastructure.web.limits import Limits
from infrastructure.web.reading import Reading
from infrastructure.web.server import bind, server_config
from infrastructure.web.site import Site

ROOT = Path(__file__).parents[2]
STOP_WAIT = 30.0
READ_TIMEOUT = 10.0
"""Seconds a stream may stay silent before a test reading it fails (never a hang)."""
TEST_LIMITS = Limits(max_connections=200, max_streams=100, backlog=64, header_timeout=30)


@dataclass(frozen=True)
class StreamEvent:
    id: str | None
    event: str | None
    data: Any


@contextmanager
def live_server(
    url: str, *, heartbeat: float = 15, port: int = 0, limits: Limits = TEST_LIMITS
) -> Iterator[str]:
    """Serves the store at `url` with its own application and broadcaster on `port` (0: a free
    one), as `serve` does within `limits`; yields the base URL."""
    reading = Reading.open(url)
    sock = bind("127.0.0.1", port)
    port = sock.getsockname()[1]
    app = create_app(Site(reading), heartbeat=heartbeat, max_streams=limits.max_streams)
    config = server_config(app, limits)
    config.timeout_graceful_shutdown = 2
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        assert server.started, "the server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        app.state.broadcaster.end_streams_soon()  # as a signal would, which a thread cannot take
        server.should_exit = True
        thread.join(15)
        sock.close()
        reading.close()


_LINES: weakref.WeakKeyDictionary[httpx.Response, Iterator[str]] = weakref.WeakKeyDictionary()
"""Each open stream's one line iterator, so successive reads carry on where the last stopped."""


def read_events(
    response: httpx.Response, count: int, *, comments: list[str] | None = None
) -> list[StreamEvent]:
    """The next `count` events of an open stream (comments, such as heartbeats, go to `comments`);
    fewer if the stream ends first."""
    events: list[StreamEvent] = []
    fields: dict[str, str] = {}
    lines = _LINES.setdefault(response, response.iter_lines())
    for line in lines:
        if line.startswith(":"):
            if comments is not None:
                comments.append(line)
                if count == 0:
                    return events
            continue
        if line == "":
            if "data" in fields:
                events.append(StreamEvent(fields.get("id"), fields.get("event"), json.loads(fields["data"])))
                if len(events) == count:
                    return events
            fields = {}
            continue
        name, _, value = line.partition(":")
        fields[name] = value[1:] if value.startswith(" ") else value
    return events


def stream(client: httpx.Client, url: str, **kwargs: Any) -> Any:
    return client.stream("GET", url, timeout=httpx.Timeout(READ_TIMEOUT), **kwargs)


@contextmanager
def serve_process(
    db: str, *args: str, descriptors: int | None = None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`newsroom serve --port 0 ARGS` (under a descriptor limit, if given) and its address."""

    def limit() -> None:
        if descriptors is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (descriptors, descriptors))

    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", db, "serve", "--port", "0", *args],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert found, f"serve said: {first!r}"
        yield process, found.group(0)
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(STOP_WAIT)
