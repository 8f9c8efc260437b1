"""A store that cannot take a write gives one clear error, and is intact afterwards."""

from __future__ import annotations

import random
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from infrastructure.bootstrap import bootstrap

ROOT = Path(__file__).parents[2]


def newsroom_process(*args: str, preexec=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True, preexec_fn=preexec
    )


@pytest.fixture
def story_db(tmp_path: Path) -> Path:
    path = tmp_path / "newsroom.db"
    app = bootstrap(f"sqlite:///{path}").app
    app.open_story("syria", "Syria talks", editor="ann")
    app.post_update("syria", "One", "First.", editor="ann")
    app.close()
    return path


def event_count(path: Path) -> int:
    app = bootstrap(f"sqlite:///{path}").app
    try:
        return len(app.get_events("syria"))
    finally:
        app.close()


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert fragment in lines[0]


def test_a_read_only_store_refuses_writes_and_still_reads(story_db: Path) -> None:
    url = f"sqlite:///{story_db}?mode=ro"

    result = newsroom_process(
        "--db", url, "--as", "ann", "update", "post", "syria", "--title", "T", "--body", "B"
    )

    assert_one_line_error(result, "read-only")
    assert event_count(story_db) == 2


def test_a_store_locked_longer_than_the_timeout_gives_a_clear_error(story_db: Path) -> None:
    blocker = sqlite3.connect(story_db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = newsroom_process(
            "--db", f"sqlite:///{story_db}?timeout=1", "--as", "ann",
            "update", "post", "syria", "--title", "T", "--body", "B",
        )  # fmt: skip
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    assert_one_line_error(result, "locked")
    assert event_count(story_db) == 2


def test_a_full_disk_gives_a_clear_error_and_loses_nothing(story_db: Path, tmp_path: Path) -> None:
    with sqlite3.connect(story_db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    limit = max(story_db.stat().st_size, 32768) + 16384

    def small_disk() -> None:
        # Writes past `limit` bytes fail with EFBIG, as they would on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    words = random.Random(0)  # ideographs at random: words the store's compression cannot shrink
    body = tmp_path / "body.md"
    body.write_text("".join(chr(0x4E00 + words.randrange(20_000)) for _ in range(49_000)), encoding="utf-8")
    result = newsroom_process(
        "--db", f"sqlite:///{story_db}", "--as", "ann",
        "update", "post", "syria", "--title", "Big", "--body-file", str(body),
        preexec=small_disk,
    )  # fmt: skip

    assert_one_line_error(result, "nothing was written")
    assert event_count(story_db) == 2
    app = bootstrap(f"sqlite:///{story_db}").app
    assert app.post_update("syria", "Two", "Second.", editor="ann") == 2
    app.close()


@pytest.mark.postgres
def test_a_postgres_connection_lost_mid_command_is_retried_and_applied_once(postgres_url: str) -> None:
    app = bootstrap(postgres_url).app
    app.open_story("syria", "Syria talks", editor="ann")
    schema = postgres_url.rsplit("schema=", 1)[1]
    insert_events = app.recorder.insert_events
    terminated: list[int] = []

    def server_drops_connections_then_insert(*args, **kwargs):
        with psycopg.connect(postgres_url.split("?")[0], autocommit=True) as admin:
            rows = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE %s",
                (f"%{schema}%",),
            ).fetchall()
            for (pid,) in rows:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
                terminated.append(pid)
        app.recorder.insert_events = insert_events
        return insert_events(*args, **kwargs)

    app.recorder.insert_events = server_drops_connections_then_insert
    try:
        assert app.post_update("syria", "One", "First.", editor="ann") == 1
        assert terminated, "the test meant to drop the application's connections"
        assert [type(e).__name__ for e in app.get_events("syria")] == ["Opened", "UpdatePosted"]
    finally:
        app.close()


def test_an_unreachable_postgres_server_gives_a_clear_error() -> None:
    result = newsroom_process("--db", "postgresql://postgres@127.0.0.1:1/test", "story", "list")

    assert_one_line_error(result, "cannot reach")
