"""Several editors' processes writing to one story at once: every accepted command appears once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from domain.chain import GENESIS_HASH
from infrastructure.bootstrap import bootstrap
from infrastructure.retry import JitteredBackoff

ROOT = Path(__file__).parents[2]
WRITERS, POSTS_EACH = 8, 50


def test_eight_processes_posting_fifty_updates_each_number_them_1_to_400(store_url: str) -> None:
    app = bootstrap(store_url).app
    app.open_story("breaking", "Breaking news", editor="desk")

    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.workers",
                "post",
                store_url,
                "breaking",
                str(POSTS_EACH),
                f"ed{i}",
            ],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(WRITERS)
    ]
    failures = [w.stderr.read() for w in writers if w.wait() != 0]

    assert failures == []
    story = app.get_story("breaking")
    assert story.update_count == WRITERS * POSTS_EACH
    assert sorted(u.number for u in app.get_page("breaking").updates) == list(
        range(1, WRITERS * POSTS_EACH + 1)
    )
    titles = sorted(u.title for u in app.get_page("breaking").updates)
    assert titles == sorted(f"ed{i} #{n + 1}" for i in range(WRITERS) for n in range(POSTS_EACH))
    events = app.get_events("breaking")
    assert [e.previous_hash for e in events] == [GENESIS_HASH] + [e.hash for e in events[:-1]]
    app.close()


def test_an_editor_who_collided_waits_a_random_while_growing_to_a_quarter_second() -> None:
    bounds: list[tuple[float, float]] = []
    slept: list[float] = []

    def highest(low: float, high: float) -> float:
        bounds.append((low, high))
        return high

    backoff = JitteredBackoff(sleep=slept.append, uniform=highest)

    for attempt in (0, 1, 5, 7, 199):
        backoff.wait(attempt)

    assert bounds == [(0, 0.002), (0, 0.004), (0, 0.064), (0, 0.25), (0, 0.25)]
    assert slept == [high for _, high in bounds]


def test_every_process_on_a_store_backs_off(store_url: str) -> None:
    app = bootstrap(store_url).app

    assert app.retry == JitteredBackoff()
    app.close()
