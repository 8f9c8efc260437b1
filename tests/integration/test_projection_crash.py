"""A catch-up killed in the middle (SIGKILL, mid-transaction) leaves the read models consistent, and
the next run finishes them with nothing repeated or skipped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from domain.errors import StoryNotFound
from domain.story import STORY_TOPICS
from infrastructure.bootstrap import BATCH_SIZE_VAR, PAUSE_VAR, bootstrap
from tests.integration.histories import random_history, table_rows

ROOT = Path(__file__).parents[2]


def test_a_catch_up_killed_mid_batch_is_finished_by_the_next_run(store_url: str) -> None:
    writer = bootstrap(store_url).app
    random_history(writer, 400, seed=3, stories=3)
    writer.close()
    catch_up = subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", store_url, "projections", "catch-up"],
        cwd=ROOT,
        env={**os.environ, BATCH_SIZE_VAR: "7", PAUSE_VAR: "0.05"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    newsroom = bootstrap(store_url)
    try:
        last = newsroom.app.recorder.max_notification_id()
        while min(s.position for s in newsroom.runner.status()) < last // 3:
            assert catch_up.poll() is None, catch_up.stderr.read() if catch_up.stderr else ""
            time.sleep(0.02)
        catch_up.send_signal(signal.SIGKILL)
        catch_up.wait()

        positions = {s.name: s.position for s in newsroom.runner.status()}
        assert min(positions.values()) > 0 and max(positions.values()) < last
        assert_views_match_the_events_up_to(newsroom, positions)

        newsroom.runner.catch_up()
        finished = table_rows(newsroom.runner.engine)
        newsroom.runner.rebuild()
        assert table_rows(newsroom.runner.engine) == finished
        assert len(finished["history_events"]) == sum(
            len(newsroom.app.get_events(f"story-{n}")) for n in range(3)
        )
    finally:
        newsroom.close()


def assert_views_match_the_events_up_to(newsroom, positions: dict[str, int]) -> None:
    """Each projection holds exactly the events up to its tracked position, no more, no less."""
    versions: dict[str, int] = {}
    story_topics = sorted(STORY_TOPICS)
    for notification in newsroom.app.recorder.select_notifications(
        1, 10_000, stop=positions["live-page"], topics=story_topics
    ):
        event = newsroom.app.mapper.to_domain_event(notification)
        if hasattr(event, "slug"):
            versions[event.originator_id] = (event.slug, 0)
        slug, _ = versions[event.originator_id]
        versions[event.originator_id] = (slug, event.originator_version)
    for n in range(3):
        slug = f"story-{n}"
        known = [v for s, v in versions.values() if s == slug]
        if not known:
            try:
                newsroom.queries.page(slug)
            except StoryNotFound:
                continue
            raise AssertionError(f"{slug} is in the live page before its first event was applied")
        assert newsroom.queries.page(slug) == newsroom.app.get_page(slug, known[0])
    history_events = len(
        newsroom.app.recorder.select_notifications(1, 10_000, stop=positions["history"], topics=story_topics)
    )
    assert len(table_rows(newsroom.runner.engine)["history_events"]) == history_events
