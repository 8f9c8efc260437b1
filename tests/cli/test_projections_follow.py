"""`newsroom projections run --follow` as a real process: it applies new events as they are recorded
(PostgreSQL: LISTEN/NOTIFY; SQLite: polling) and stops cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infrastructure.bootstrap import bootstrap

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_a_follower_applies_new_events_then_stops_on_a_signal(store_url: str, stop_signal: int) -> None:
    writer = bootstrap(store_url).app
    writer.open_story("syria", "Syria talks", editor="ann")
    follower = subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", store_url, "projections", "run", "--follow", "--poll", "0.05"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert follower.stderr is not None
    assert "following" in follower.stderr.readline()
    for n in range(1, 4):
        writer.post_update("syria", f"Update {n}", "Body.", editor="ann")
    last = writer.recorder.max_notification_id()
    writer.close()
    reader = bootstrap(store_url)
    try:
        while min(s.position for s in reader.runner.status()) < last:
            assert follower.poll() is None, follower.stderr.read()
            time.sleep(0.02)

        follower.send_signal(stop_signal)
        _, errors = follower.communicate()

        assert follower.returncode == 0, errors
        assert "stopped" in errors and "Traceback" not in errors
        assert [u.title for u in reader.queries.page("syria").updates] == [
            "Update 3",
            "Update 2",
            "Update 1",
        ]
    finally:
        reader.close()
