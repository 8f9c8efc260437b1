"""`newsroom serve` as a real process: it serves the seed story and stops cleanly on SIGTERM with
streams open."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.seed_content import SEED_SLUG
from tests.web.live_server import read_events, serve_process, stream

ROOT = Path(__file__).parents[2]
STOP_WAIT = 30
"""Seconds a stopping server is waited for before the test fails (a bound, not a measurement)."""


def newsroom(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "--db", db, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_serve_shows_the_seed_story_and_stops_on_sigterm_with_a_stream_open(store_url: str) -> None:
    assert newsroom(store_url, "seed").returncode == 0

    with serve_process(store_url) as (process, base), httpx.Client() as client:
        page = client.get(f"{base}/stories/{SEED_SLUG}")
        with stream(client, f"{base}/stories/{SEED_SLUG}/live") as response:
            assert response.status_code == 200
            process.send_signal(signal.SIGTERM)
            after_stop = read_events(response, 1)
        code = process.wait(STOP_WAIT)
        rest = process.stderr.read() if process.stderr else ""

    assert page.status_code == 200 and "Disputes over Syria summit plan" in page.text
    assert after_stop == []  # the stream ended rather than hung
    assert code == 0, rest
    assert "Traceback" not in rest


def test_serve_refuses_a_port_in_use_on_one_line(sqlite_url: str) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = newsroom(sqlite_url, "serve", "--port", str(port))

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
