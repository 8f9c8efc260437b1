"""Processes at work on one store: a follower beside writers, and processes killed mid-work.

Afterwards the store holds only whole commands, every chain verifies, and the read models equal a
rebuild. NEWSROOM_CRASH_ROUNDS sets how many kill rounds to run (a longer soak than the default).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from infrastructure.audit.verify import verify_store
from infrastructure.bootstrap import bootstrap
from tests.integration.histories import table_rows

ROOT = Path(__file__).parents[2]
CRASH_ROUNDS = int(os.environ.get("NEWSROOM_CRASH_ROUNDS", "4"))


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def assert_views_hold_every_event_once(newsroom) -> None:
    slugs = [s.slug for s in newsroom.queries.stories()]
    for slug in slugs:
        assert newsroom.queries.page(slug) == newsroom.app.get_page(slug)
        assert len(newsroom.queries.history(slug)) == len(newsroom.app.get_events(slug))
    incremental = table_rows(newsroom.runner.engine)
    newsroom.runner.rebuild()
    assert table_rows(newsroom.runner.engine) == incremental


def test_a_follower_beside_four_writers_applies_every_event_once(store_url: str) -> None:
    newsroom = bootstrap(store_url)
    slugs = [f"story-{n}" for n in range(4)]
    for slug in slugs:
        newsroom.app.open_story(slug, f"Story {slug}", editor="desk")
    follower = start("-m", "cli", "--db", store_url, "projections", "run", "--follow", "--poll", "0.05")
    writers = [
        start("-m", "tests.integration.workers", "post", store_url, slug, "40", "ed") for slug in slugs
    ]
    try:
        assert [w.wait() for w in writers] == [0, 0, 0, 0], [w.stderr.read() for w in writers]
        last = newsroom.app.recorder.max_notification_id()
        while min(s.position for s in newsroom.runner.status()) < last:
            assert follower.poll() is None, follower.stderr.read() if follower.stderr else ""
            time.sleep(0.05)
    finally:
        follower.send_signal(signal.SIGTERM)
        follower.wait()
    try:
        assert follower.returncode == 0
        assert [newsroom.app.get_story(slug).update_count for slug in slugs] == [40, 40, 40, 40]
        assert_views_hold_every_event_once(newsroom)
    finally:
        newsroom.close()


def test_processes_killed_at_random_moments_leave_only_whole_commands(store_url: str) -> None:
    rng = random.Random(5)
    newsroom = bootstrap(store_url)
    newsroom.app.open_story("breaking", "Breaking news", editor="desk")
    newsroom.runner.catch_up()
    try:
        for _round in range(CRASH_ROUNDS):
            processes = [
                start(
                    "-m",
                    "tests.integration.workers",
                    "post-and-project",
                    store_url,
                    "breaking",
                    "1000",
                    f"w{i}",
                )
                for i in range(2)
            ]
            wait_for_writes_after(newsroom, newsroom.app.get_story("breaking").version, processes)
            processes.append(start("-m", "cli", "--db", store_url, "projections", "rebuild"))
            time.sleep(rng.uniform(0, 1))
            for process in processes:
                process.send_signal(signal.SIGKILL)
                process.wait()

        assert_only_whole_commands(newsroom.app.get_events("breaking"))
        assert verify_store(newsroom.app).intact
        newsroom.runner.catch_up()
        assert_views_hold_every_event_once(newsroom)
    finally:
        newsroom.close()


def wait_for_writes_after(newsroom, version: int, processes: list[subprocess.Popen[str]]) -> None:
    """Waits until the writers have started recording, so that every round kills work under way
    (a rebuild started then runs beside them until the kill, or finishes first)."""
    while newsroom.app.get_story("breaking").version == version:
        for process in processes:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.02)


def assert_only_whole_commands(events) -> None:
    """Every pinned post is whole: UpdatePosted N, then any UpdateUnpinned, then UpdatePinned N."""
    names = [(type(e).__name__, getattr(e, "number", None)) for e in events]
    index = 1
    while index < len(names):
        kind, number = names[index]
        assert kind == "UpdatePosted", names[index:]
        if names[index + 1][0] == "UpdateUnpinned":
            index += 1
        assert names[index + 1] == ("UpdatePinned", number), names[index : index + 2]
        index += 2
