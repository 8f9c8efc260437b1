"""A real `serve` process says nothing on stderr when readers close their live streams or when it
is stopped with streams open: no asyncio task is left pending to be destroyed."""

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
READERS = 5


def test_streams_closed_by_readers_and_by_a_stop_leave_nothing_on_stderr(store_url: str) -> None:
    seeded = subprocess.run([sys.executable, "-m", "cli", "--db", store_url, "seed"], cwd=ROOT, check=False)
    assert seeded.returncode == 0

    with serve_process(store_url) as (process, base), httpx.Client() as client:
        for _ in range(READERS):  # each reader opens the stream, reads one change, leaves
            with stream(client, f"{base}/stories/{SEED_SLUG}/live?after=0") as response:
                assert response.status_code == 200
                assert read_events(response, 1)
        assert client.get(f"{base}/healthz").status_code == 200  # the server is still answering
        with stream(client, f"{base}/stories/{SEED_SLUG}/live") as response:
            process.send_signal(signal.SIGTERM)
            assert read_events(response, 1) == []
        code = process.wait(STOP_WAIT)
        said = process.stderr.read() if process.stderr else ""

    assert code == 0, said
    assert said.splitlines() == ["Stopped."]
