"""Commands write to the primary; followers, pages and the audit read from its streaming replica."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infrastructure.bootstrap import bootstrap
from tests.conftest import StepClock
from tests.support.postgres import libpq_url

pytestmark = pytest.mark.replica
TIMEOUT = 60


def newsroom(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True, text=True, timeout=TIMEOUT, env={**os.environ, **(env or {})},
        cwd=Path(__file__).parents[2],
    )  # fmt: skip


def _write_story(primary: str, updates: int = 3) -> None:
    services = bootstrap(primary, clock=StepClock())
    try:
        app = services.app
        app.open_story("syria", "Syria talks", editor="ann")
        for number in range(1, updates + 1):
            app.post_update("syria", f"Update {number}", f"Body {number}.", editor="ann")
    finally:
        services.close()


def test_events_written_to_the_primary_are_read_back_from_the_replica(store_pair) -> None:
    primary, standby = store_pair
    _write_story(primary)
    services = bootstrap(primary, read_url=standby)
    try:
        services.wait_for_replica(TIMEOUT)
        assert services.reader.get_events("syria") == services.app.get_events("syria")
    finally:
        services.close()


def test_a_follower_of_the_replica_ends_equal_to_one_of_the_primary(store_pair, tmp_path: Path) -> None:
    primary, standby = store_pair
    _write_story(primary, updates=12)
    of_replica = bootstrap(primary, read_url=standby)
    of_primary = bootstrap(primary, views_url=f"sqlite:///{tmp_path / 'views.db'}")
    try:
        of_replica.wait_for_replica(TIMEOUT)
        replica_page = of_replica.caught_up().page("syria")
        replica_history = of_replica.caught_up().history("syria")
        assert replica_page == of_primary.caught_up().page("syria")
        assert replica_history == of_primary.caught_up().history("syria")
    finally:
        of_replica.close()
        of_primary.close()


def test_the_runner_reads_its_events_from_the_replica_not_the_primary(store_pair) -> None:
    import psycopg

    primary, standby = store_pair
    _write_story(primary)
    services = bootstrap(primary, read_url=standby)
    writer = bootstrap(primary, clock=StepClock())
    try:
        services.wait_for_replica(TIMEOUT)
        with psycopg.connect(libpq_url(standby), autocommit=True) as replica:
            replica.execute("SELECT pg_wal_replay_pause()")
            try:
                writer.app.post_update("syria", "Update 4", "Only on the primary.", editor="ann")
                services.runner.catch_up()
                assert [u.number for u in services.queries.page("syria").updates] == [3, 2, 1]
            finally:
                replica.execute("SELECT pg_wal_replay_resume()")
        services.wait_for_replica(TIMEOUT)
        services.runner.catch_up()
        assert [u.number for u in services.queries.page("syria").updates] == [4, 3, 2, 1]
    finally:
        writer.close()
        services.close()


def test_a_write_that_waits_for_the_replica_is_then_read_from_it(store_pair) -> None:
    primary, standby = store_pair
    env = {"NEWSROOM_DB": primary, "NEWSROOM_READ_DB": standby, "NEWSROOM_EDITOR": "ann"}
    assert newsroom("story", "open", "syria", "--headline", "Syria talks", env=env).returncode == 0
    posted = newsroom(
        "--wait-replica", "5", "update", "post", "syria", "--title", "T", "--body", "B.", env=env
    )
    assert posted.returncode == 0, posted.stderr
    reading = newsroom("page", "syria", "--min-version", "2", "--format", "json", env=env)
    assert reading.returncode == 0, reading.stderr
    assert json.loads(reading.stdout)["version"] == 2


def test_a_read_asking_for_a_version_not_reached_fails_clearly(store_pair) -> None:
    primary, standby = store_pair
    _write_story(primary, updates=1)
    env = {"NEWSROOM_DB": primary, "NEWSROOM_READ_DB": standby}
    reading = newsroom("page", "syria", "--min-version", "9", "--timeout", "0.5", env=env)
    assert reading.returncode == 1
    assert reading.stdout == ""
    assert reading.stderr.strip().splitlines() == [
        "Error: story 'syria' had not reached version 9 after 0.5 s (the read models are at version 2); "
        "nothing older is shown as current"
    ]


def test_wait_replica_needs_a_replica(store_pair) -> None:
    primary, _ = store_pair
    result = newsroom("--db", primary, "--wait-replica", "--as", "ann", "story", "list")
    assert result.returncode == 2
    assert "--wait-replica needs a replica to wait for: pass --read-db URL" in result.stderr


def test_status_reports_the_replica_lag(store_pair) -> None:
    primary, standby = store_pair
    _write_story(primary, updates=1)
    env = {"NEWSROOM_DB": primary, "NEWSROOM_READ_DB": standby}
    result = newsroom("projections", "status", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {"replica_lag_events", "replica_lag_seconds"} <= set(rows[0])
    assert rows[0]["replica_lag_events"] >= 0
