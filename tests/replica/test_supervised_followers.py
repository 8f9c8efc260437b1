"""Any number of followers may run; one applies each projection, and a standby takes over when it
dies. Followers read events from the replica and write the read models to the primary."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infrastructure.bootstrap import bootstrap
from tests.replica.test_reading_from_a_replica import TIMEOUT, _write_story, newsroom

pytestmark = pytest.mark.replica
ROOT = Path(__file__).parents[2]


def _follower(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "projections", "run", "--follow"],
        env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _status(env: dict[str, str]) -> list[dict]:
    services = bootstrap(env["NEWSROOM_DB"], read_url=env["NEWSROOM_READ_DB"])
    try:
        return [
            {"position": s.position, "lag": s.lag, "holder": s.holder or ""} for s in services.runner.status()
        ]
    finally:
        services.close()


def _shown_holders(env: dict[str, str]) -> list[str]:
    result = newsroom("projections", "status", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    return [row.get("holder", "") for row in json.loads(result.stdout)]


def _until(condition, what: str) -> None:
    """Waits, bounded, for `condition`; fails naming `what` (no duration is asserted)."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def _holders(env: dict[str, str]) -> set[str]:
    return {row.get("holder", "") for row in _status(env)}


def test_a_killed_follower_is_replaced_by_its_standby_with_nothing_lost_or_doubled(
    store_pair, tmp_path: Path
) -> None:
    primary, standby = store_pair
    _write_story(primary, updates=40)
    env = {
        "NEWSROOM_DB": primary,
        "NEWSROOM_READ_DB": standby,
        "NEWSROOM_PROJECTIONS_BATCH_SIZE": "4",
        "NEWSROOM_PROJECTIONS_PAUSE_BEFORE_COMMIT": "0.5",
    }
    status_env = {"NEWSROOM_DB": primary, "NEWSROOM_READ_DB": standby}
    first = _follower(env)
    second = None
    try:
        _until(lambda: _holders(status_env) == {f"newsroom follower {os.uname().nodename}:{first.pid}"},
               "the first follower to hold both projections")  # fmt: skip
        second = _follower(env)
        _until(lambda: min(r["position"] for r in _status(status_env)) > 0, "the first batches")
        assert any(r["lag"] for r in _status(status_env)), "the first follower finished before the kill"
        first.send_signal(signal.SIGKILL)
        first.wait(TIMEOUT)
        taken_over = {f"newsroom follower {os.uname().nodename}:{second.pid}"}
        _until(lambda: _holders(status_env) == taken_over, "the standby to take over")
        _until(lambda: all(r["lag"] == 0 for r in _status(status_env)), "the standby to catch up")
        assert set(_shown_holders(status_env)) == taken_over
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(TIMEOUT)

    followed = bootstrap(primary)
    fresh = bootstrap(primary, views_url=f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert followed.queries.history("syria") == fresh.caught_up().history("syria")
        assert followed.queries.page("syria") == fresh.caught_up().page("syria")
    finally:
        followed.close()
        fresh.close()
