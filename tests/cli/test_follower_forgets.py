"""A running `projections run --follow` forgets the key an erasure made by another process
destroyed: when it applies the story's events again (the read models rebuilt, as an erasure
rebuilds them, with the follower winning the batch), the name reads "[erased]", not in clear
from the key it had kept."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infrastructure.bootstrap import Services, bootstrap
from infrastructure.erasure import erase_person
from infrastructure.projections import schema
from infrastructure.rendering.json_views import render_page_json

ROOT = Path(__file__).parents[2]
SLUG = "inquiry"
NAME = "Zoë Quarrington-Ülker"
BOUND = 30.0
"""Seconds the follower is given to catch up before the test fails (a bound, never a hang)."""


@contextmanager
def following(url: str) -> Iterator[subprocess.Popen[str]]:
    command = [sys.executable, "-m", "cli", "--db", url, "projections", "run", "--follow", "--poll", "0.05"]
    follower = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        assert follower.stderr is not None
        assert "following" in follower.stderr.readline()
        yield follower
    finally:
        follower.terminate()
        follower.wait(BOUND)


def _caught_up(services: Services, follower: subprocess.Popen[str]) -> None:
    last = services.app.recorder.max_notification_id() or 0
    deadline = time.monotonic() + BOUND
    while min(s.position for s in services.runner.status()) < last:
        assert follower.poll() is None, "the follower stopped"
        assert time.monotonic() < deadline, "the follower did not catch up"
        time.sleep(0.02)


def test_a_follower_applying_the_events_again_after_an_erasure_reads_the_name_erased(sqlite_url: str) -> None:
    # SQLite: its follower reads the tracked positions again every round, so it applies a rebuild
    # itself (a PostgreSQL follower holds its positions and its lease, and leaves it to the rebuild).
    services = bootstrap(sqlite_url)
    app = services.app
    app.open_story(SLUG, "An inquiry", editor="Ann Editor")
    app.post_update(SLUG, "Opening", "> Words.\n>\n> – Someone", editor="Ann Editor")
    app.correct_quote(SLUG, 1, 1, text="Better words.", note="Misquote", editor=NAME)
    app.publish_story(SLUG, editor="Ann Editor")
    try:
        with following(sqlite_url) as follower:
            _caught_up(services, follower)  # the follower opened the correction's name, with its key
            assert NAME in render_page_json(services.queries.page(SLUG))

            erase_person(services, NAME, request="DSAR-1", editor="root")
            runner = services.runner
            schema.reset_all(runner.engine, list(runner.projections.values()), app.name)
            _caught_up(services, follower)  # the follower, not this process, applied them again

            page = render_page_json(services.queries.page(SLUG))
            assert NAME not in page and "Quarrington" not in page
            assert "[erased]" in page
    finally:
        services.close()
