"""A commit to an SQLite store wakes its followers at once (the file system's change
notification on the store's files), rather than at their next poll; the poll stays the fallback."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infrastructure.bootstrap import Services, bootstrap
from infrastructure.store_changes import StoreChanges
from infrastructure.web.reading import Reading

LONG_POLL = 60.0
"""A poll so long that only a wake can explain a follower that sees a commit within the bound."""
BOUND = 10.0
"""How long the test waits for the follower (a failure past it, not a measurement)."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[str, Services]]:
    url = f"sqlite:///{tmp_path / 'newsroom.db'}"
    services = bootstrap(url)
    services.app.open_story("syria", "Syria talks", editor="ann")
    services.app.publish_story("syria", editor="ann")
    services.runner.catch_up()
    yield url, services
    services.close()


def _writer(url: str) -> Services:
    """Another process's view of the store: its own connections, nothing shared."""
    return bootstrap(url)


def test_a_commit_wakes_a_following_runner_before_its_poll(store: tuple[str, Services]) -> None:
    url, follower = store
    stop = threading.Event()
    thread = threading.Thread(target=follower.runner.follow, args=(stop,), kwargs={"poll_seconds": LONG_POLL})
    thread.start()
    writer = _writer(url)
    try:
        time.sleep(0.2)  # the follower is waiting
        writer.app.post_update("syria", "Talks begin", "Leaders meet.", editor="ann")
        deadline = time.monotonic() + BOUND
        while follower.runner.position() < (writer.app.recorder.max_notification_id() or 0):
            assert time.monotonic() < deadline, "the follower was not woken by the commit"
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join(BOUND)
        writer.close()
    assert not thread.is_alive()


def test_a_commit_wakes_the_web_s_watch_before_its_poll(store: tuple[str, Services]) -> None:
    url, services = store
    stop, news = threading.Event(), threading.Event()
    thread = threading.Thread(target=Reading(services).watch, args=(stop, news, LONG_POLL))
    thread.start()
    writer = _writer(url)
    try:
        time.sleep(0.2)
        writer.app.post_update("syria", "Talks begin", "Leaders meet.", editor="ann")
        assert news.wait(BOUND), "the web's watch was not woken by the commit"
    finally:
        stop.set()
        thread.join(BOUND)
        writer.close()
    assert not thread.is_alive()


def test_without_a_file_to_watch_it_polls(tmp_path: Path) -> None:
    stop = threading.Event()
    changes = StoreChanges(None, stop)

    started = time.monotonic()
    changes.wait(0.05)

    assert time.monotonic() - started >= 0.05


def test_a_stop_ends_a_wait_at_once(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    path.touch()
    stop = threading.Event()
    changes = StoreChanges(path, stop)
    waiter = threading.Thread(target=changes.wait, args=(LONG_POLL,))
    waiter.start()

    stop.set()
    waiter.join(BOUND)

    assert not waiter.is_alive()
