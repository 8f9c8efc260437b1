"""The readers' web refuses what it cannot hold: streams past their cap get 503 and
`Retry-After` (pages are still served), connections past theirs are answered 503 and closed, a
request whose headers trickle in is closed after the header timeout, and a process under a low
descriptor limit refuses readers instead of running out of descriptors and filling its log."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import ExitStack, suppress
from pathlib import Path

import httpx

from domain.application import Newsroom
from infrastructure.web.limits import Limits
from tests.web.conftest import live_story
from tests.web.live_server import live_server, read_events, serve_process, stream

ROOT = Path(__file__).parents[2]
WAIT = 20.0
"""Seconds anything awaited here may take before the test fails (a bound, not a measurement)."""


def _small(max_connections: int = 20, max_streams: int = 2, header_timeout: float = 30) -> Limits:
    return Limits(max_connections, max_streams, backlog=8, header_timeout=header_timeout)


def _until(check, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=WAIT)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (bounded by the timeout)."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_past_the_stream_cap_a_stream_is_answered_503_with_retry_after_and_pages_are_still_served(
    app: Newsroom, store_url: str
) -> None:
    live_story(app)
    with live_server(store_url, limits=_small(max_streams=2)) as base, httpx.Client() as client:
        with ExitStack() as streams:
            opened = [streams.enter_context(stream(client, f"{base}/stories/syria/live")) for _ in range(2)]
            refused = client.get(f"{base}/stories/syria/live")
            page = client.get(f"{base}/stories/syria")
            changes = client.get(f"{base}/api/stories/syria/changes?after=0")
        # The slots come back once the streams are closed.
        _until(lambda: _opens(client, base), "a slot to be free again")

    assert [r.status_code for r in opened] == [200, 200]
    assert refused.status_code == 503 and refused.headers["retry-after"] == "10"
    assert refused.headers["cache-control"] == "no-store"
    assert page.status_code == 200 and changes.status_code == 200


def test_a_stream_that_hangs_up_at_once_gives_its_slot_back(app: Newsroom, store_url: str) -> None:
    live_story(app)
    with live_server(store_url, limits=_small(max_streams=1)) as base, httpx.Client() as client:
        for _ in range(5):  # each takes the one slot and hangs up at once; a leak would starve the rest
            _until(lambda: _opens(client, base), "the one slot to be free again")


def _opens(client: httpx.Client, base: str) -> bool:
    with stream(client, f"{base}/stories/syria/live") as response:
        return response.status_code == 200


def test_past_the_connection_cap_a_connection_is_answered_503_and_closed(
    app: Newsroom, store_url: str
) -> None:
    live_story(app)
    with live_server(store_url, limits=_small(max_connections=3)) as base:
        idle = [_connect(base) for _ in range(3)]
        try:
            refused = _connect(base)
            answer = _read_all(refused)
            refused.close()
        finally:
            for sock in idle:
                sock.close()
        page = httpx.get(f"{base}/stories/syria", timeout=WAIT)

    assert answer.startswith(b"HTTP/1.1 503 ") and b"retry-after: 10" in answer
    assert page.status_code == 200  # once the idle connections went, readers are served again


def test_a_stream_stays_open_past_the_header_timeout(app: Newsroom, store_url: str) -> None:
    live_story(app)
    comments: list[str] = []
    with (
        live_server(store_url, heartbeat=0.2, limits=_small(header_timeout=0.3)) as base,
        httpx.Client() as client,
        stream(client, f"{base}/stories/syria/live") as response,
    ):
        started = time.monotonic()
        while time.monotonic() - started < 1.0:  # well past the header timeout
            read_events(response, 0, comments=comments)

    assert len(comments) >= 3


def newsroom(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "--db", db, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_serve_closes_a_request_whose_headers_trickle_in_after_the_header_timeout(
    app: Newsroom, store_url: str
) -> None:
    live_story(app)
    with serve_process(store_url, "--header-timeout", "0.5") as (process, base):
        sock = _connect(base)
        sock.sendall(b"GET /stories/syria HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        closed = False
        deadline = time.monotonic() + WAIT
        try:
            while time.monotonic() < deadline:  # one header line every 0.1 s: a slowloris
                sock.sendall(b"X-Slow: yes\r\n")
                time.sleep(0.1)
        except OSError:
            closed = True
        answer = b""
        with suppress(OSError):
            answer = _read_all(sock)
        sock.close()
        page = httpx.get(f"{base}/stories/syria", timeout=WAIT)
        process.terminate()
        rest = process.communicate(timeout=WAIT)[1]

    assert closed, "the server kept a trickling request open"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408 ")
    assert page.status_code == 200
    assert "Traceback" not in rest


def test_serve_times_the_headers_of_each_request_on_a_kept_alive_connection(
    app: Newsroom, store_url: str
) -> None:
    live_story(app)
    with serve_process(store_url, "--header-timeout", "0.5") as (_process, base):
        sock = _connect(base)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = sock.recv(65536)
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # the second request never finishes its headers
        answer = _read_all(sock)
        sock.close()

    # The first answer may arrive in pieces: the 408 follows it on the same connection.
    assert first.startswith(b"HTTP/1.1 200 ")
    assert b"HTTP/1.1 408 " in first + answer


def test_serve_under_a_low_descriptor_limit_refuses_readers_and_never_runs_out(
    app: Newsroom, store_url: str
) -> None:
    live_story(app)
    with serve_process(store_url, descriptors=256) as (process, base):
        readers = []
        statuses = []
        try:
            for _ in range(300):  # more than the 256 descriptors the process has
                sock = _connect(base)
                sock.sendall(b"GET /stories/syria/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                readers.append(sock)
            for sock in readers:
                statuses.append(sock.recv(12))
                if statuses[-1] != b"HTTP/1.1 200":
                    sock.close()  # as a page's client does on a 503: it polls instead
            page = httpx.get(f"{base}/stories/syria", timeout=WAIT)
        finally:
            for sock in readers:
                sock.close()
        process.terminate()
        rest = process.communicate(timeout=WAIT)[1]

    assert page.status_code == 200
    assert statuses.count(b"HTTP/1.1 200") >= 50 and statuses.count(b"HTTP/1.1 503") >= 50
    assert set(statuses) == {b"HTTP/1.1 200", b"HTTP/1.1 503"}
    assert "Too many open files" not in rest and len(rest) < 2000, rest[:2000]


def test_serve_refuses_more_streams_than_the_descriptor_limit_allows_on_one_line(sqlite_url: str) -> None:
    result = newsroom(sqlite_url, "serve", "--port", "0", "--max-streams", "100000000")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--max-streams must be from 1 to" in result.stderr
