"""The readers' web behind the real Varnish with the shipped VCL, purged by the events: what a
reader sees through the cache after a post, a revision, a takedown, a restart of the cache, and a
purge endpoint that was down when the event happened (on SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from domain.application import Newsroom
from tests.cache.relay import Relay
from tests.cache.varnish import Varnish, free_port, require_varnish, varnish
from tests.web.conftest import EDITOR, live_story
from tests.web.live_server import read_events, serve_process, stream

ROOT = Path(__file__).parents[2]
WORDS = "Quillfeather"
TAKEN_DOWN_WITHIN = 2.0
"""Seconds after the takedown command returns by which no cached answer may hold the words (the
promise made to courts, so a bound the test fails past, not a measurement)."""
POLL = 0.25
PATIENCE = 15.0
"""A generous deadline for what has no promised bound (a purge retried once its endpoint is back)."""


def newsroom_cli(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cli", "--db", db, *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@contextmanager
def behind_varnish(
    store_url: str, workdir: Path, *serve_args: str, purge_port: int | None = None, purge: bool = True
) -> Iterator[tuple[str, Varnish]]:
    """`serve` (purging the Varnish, or `purge_port` standing for it) and Varnish in front of it:
    the origin's address and the cache."""
    require_varnish()
    port = free_port()
    args = [*serve_args]
    if purge:
        args += ["--cache-purge", f"http://127.0.0.1:{purge_port or port}/"]
    with (
        serve_process(store_url, *args) as (_process, origin),
        varnish(workdir / "varnish", [_port(origin)], port=port) as cache,
    ):
        yield origin, cache


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def _until(check: object, deadline: float) -> bool:
    """Polls `check()` until it is true or `deadline` (monotonic) passes."""
    while True:
        if check():  # type: ignore[operator]
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL)


def _story_with_words(app: Newsroom) -> None:
    """Versions 1 open, 2 published, 3 the words posted (update 1), 4 and 5 other updates."""
    app.open_story("syria", "Syria talks", editor=EDITOR)
    app.publish_story("syria", editor=EDITOR)
    app.post_update("syria", "Claim", f"{WORDS} said the minister knew.", editor=EDITOR)
    app.post_update("syria", "Later", "The minister declined to comment.", editor=EDITOR)
    app.post_update("syria", "Latest", "The inquiry resumes on Monday.", editor=EDITOR)


CACHED_PATHS = [
    "/stories/syria?version=3",
    "/stories/syria?version=5",
    "/stories/syria?version=5&filter=key-events",
    "/stories/syria",
    "/stories/syria/feed.atom",
    "/api/stories/syria",
    "/api/stories/syria/changes?after=0&until=5",
    "/api/stories/syria/changes?after=2&until=3",
    "/api/stories/syria/changes?after=0",
    "/",
    "/api/stories",
]
VARIANTS = [{"Accept-Encoding": "gzip"}, {"Accept-Encoding": "identity"}]


def _holding(client: httpx.Client, base: str, words: str) -> list[str]:
    """The cached answers (each path, gzipped and not) that still hold `words`."""
    return [
        f"{path} {headers['Accept-Encoding']}"
        for path in CACHED_PATHS
        for headers in VARIANTS
        if words in client.get(base + path, headers=headers).text
    ]


def _cached(client: httpx.Client, base: str) -> bool:
    """Asks for every path in every variant until each is answered from the cache."""
    for path in CACHED_PATHS:
        for headers in VARIANTS:
            client.get(base + path, headers=headers)
    return all(
        client.get(base + path, headers=headers).headers.get("x-cache") == "hit"
        for path in ("/stories/syria?version=3", "/api/stories/syria/changes?after=0&until=5")
        for headers in VARIANTS
    )


def test_an_update_posted_is_seen_through_the_cache_within_its_max_age_and_one_poll(
    app: Newsroom, store_url: str, tmp_path: Path
) -> None:
    live_story(app)  # versions 1-4
    max_age = 2
    with (
        behind_varnish(store_url, tmp_path, "--cache-max-age", str(max_age), purge=False) as (_origin, cache),
        httpx.Client() as client,
    ):
        head = f"{cache.base}/api/stories/syria/changes?after=4"
        client.get(head)
        assert client.get(head).headers["x-cache"] == "hit"

        app.post_update("syria", "Breaking", "Just in.", editor=EDITOR)  # version 5
        posted = time.monotonic()
        seen = _until(lambda: client.get(head).json()["changes"], posted + PATIENCE)
        staleness = time.monotonic() - posted

    assert seen
    assert staleness <= max_age + POLL + 1.0  # the max-age, one poll, and the server's catching up


def test_a_revision_is_served_fresh_after_its_purge_whatever_the_max_age(
    app: Newsroom, store_url: str, tmp_path: Path
) -> None:
    live_story(app)
    with (
        behind_varnish(store_url, tmp_path, "--cache-max-age", "3600") as (_origin, cache),
        httpx.Client() as client,
    ):
        page = f"{cache.base}/stories/syria"
        client.get(page)
        assert client.get(page).headers["x-cache"] == "hit"

        app.revise_update("syria", 1, body="Revised: talks collapsed.", reason="Update", editor=EDITOR)
        fresh = _until(lambda: "talks collapsed" in client.get(page).text, time.monotonic() + PATIENCE)

    assert fresh


def test_a_takedown_is_gone_from_every_cached_version_within_two_seconds(
    app: Newsroom, store_url: str, tmp_path: Path
) -> None:
    _story_with_words(app)
    with behind_varnish(store_url, tmp_path) as (_origin, cache), httpx.Client() as client:
        assert _until(lambda: _cached(client, cache.base), time.monotonic() + PATIENCE)
        assert "/stories/syria?version=3 identity" in _holding(client, cache.base, WORDS)

        done = newsroom_cli(
            store_url, "--as", EDITOR, "update", "takedown", "syria", "1",
            "--order", "HC-2013-118", "--note", "Removed by court order.",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        returned = time.monotonic()
        while True:
            looked = time.monotonic()  # every answer of this look was asked for after it
            holding = _holding(client, cache.base, WORDS)
            if not holding or looked > returned + TAKEN_DOWN_WITHIN:
                break
            time.sleep(0.05)

    assert holding == []
    assert looked - returned <= TAKEN_DOWN_WITHIN


def test_a_cache_restart_loses_nothing(app: Newsroom, store_url: str, tmp_path: Path) -> None:
    live_story(app)  # versions 1-4
    seen: list[int] = []
    with behind_varnish(store_url, tmp_path) as (_origin, cache), httpx.Client() as client:

        def follow(until: int) -> bool:
            """Follows the changes through the cache as the live page does, from the last seen."""
            after = seen[-1] if seen else 4
            try:
                answer = client.get(f"{cache.base}/api/stories/syria/changes?after={after}")
            except httpx.TransportError:
                return False
            if answer.status_code == 200:
                seen.extend(c["version"] for c in answer.json()["changes"])
            return bool(seen) and seen[-1] >= until

        app.post_update("syria", "One", "First.", editor=EDITOR)  # version 5
        assert _until(lambda: follow(5), time.monotonic() + PATIENCE)
        cache.stop()
        app.post_update("syria", "Two", "Second.", editor=EDITOR)  # version 6, its purge refused
        assert not follow(6)
        cache.start()
        app.post_update("syria", "Three", "Third.", editor=EDITOR)  # version 7
        assert _until(lambda: follow(7), time.monotonic() + PATIENCE)
        page = client.get(f"{cache.base}/stories/syria").text

    assert seen == [5, 6, 7]
    assert all(title in page for title in ("One", "Two", "Three"))


def _purged_once(app: Newsroom, client: httpx.Client, cache: Varnish) -> bool:
    """Posts an update and waits until the story's page through the cache shows it: with a long
    max-age only a purge brings it, so the cache has been purged (and the position kept) once."""
    head = f"{cache.base}/stories/syria"
    client.get(head)
    app.post_update("syria", "Warm", "Once purged.", editor=EDITOR)
    return _until(lambda: "Once purged." in client.get(head).text, time.monotonic() + PATIENCE)


def _take_down_and_wait_for_the_origin(store_url: str, client: httpx.Client, origin: str) -> bool:
    done = newsroom_cli(
        store_url, "--as", EDITOR, "update", "takedown", "syria", "1",
        "--order", "HC-1", "--note", "Removed.",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return _until(
        lambda: WORDS not in client.get(f"{origin}/stories/syria?version=3").text, time.monotonic() + PATIENCE
    )


def test_a_purge_endpoint_down_when_the_event_happens_is_purged_once_it_is_back(
    app: Newsroom, store_url: str, tmp_path: Path
) -> None:
    _story_with_words(app)
    relay_port = free_port()
    with (
        behind_varnish(store_url, tmp_path, "--cache-max-age", "3600", purge_port=relay_port) as (
            origin,
            cache,
        ),
        httpx.Client() as client,
    ):
        relay = Relay(relay_port, cache.port)
        relay.up()
        assert _purged_once(app, client, cache)
        page = f"{cache.base}/stories/syria?version=3"
        client.get(page)
        relay.down()

        assert _take_down_and_wait_for_the_origin(store_url, client, origin)
        kept_while_down = WORDS in client.get(page).text
        relay.up()
        try:
            purged = _until(lambda: WORDS not in client.get(page).text, time.monotonic() + PATIENCE)
        finally:
            relay.down()

    assert kept_while_down  # the cache could not be told: it still had the words
    assert purged


def test_a_purge_the_cache_missed_is_sent_after_the_server_restarts(
    app: Newsroom, store_url: str, tmp_path: Path
) -> None:
    _story_with_words(app)
    relay_port, origin_port = free_port(), free_port()
    serve_args = ("--port", str(origin_port), "--cache-max-age", "3600")
    serve_args += ("--cache-purge", f"http://127.0.0.1:{relay_port}/")
    with varnish(tmp_path, [origin_port]) as cache, httpx.Client() as client:
        relay = Relay(relay_port, cache.port)
        page = f"{cache.base}/stories/syria?version=3"
        with serve_process(store_url, *serve_args) as (_process, origin):
            relay.up()
            assert _purged_once(app, client, cache)
            client.get(page)
            relay.down()
            assert _take_down_and_wait_for_the_origin(store_url, client, origin)
        kept_while_stopped = WORDS in client.get(page).text
        relay.up()
        try:
            with serve_process(store_url, *serve_args):
                purged = _until(lambda: WORDS not in client.get(page).text, time.monotonic() + PATIENCE)
        finally:
            relay.down()

    assert kept_while_stopped
    assert purged


def test_a_stream_passes_through_the_cache_unstored(app: Newsroom, store_url: str, tmp_path: Path) -> None:
    live_story(app)  # versions 1-4: posts at 2 and 3
    with behind_varnish(store_url, tmp_path) as (_origin, cache), httpx.Client() as client:
        with stream(client, f"{cache.base}/stories/syria/live?after=2") as first:
            replayed = read_events(first, 1)
            app.post_update("syria", "Breaking", "Just in.", editor=EDITOR)  # version 5
            pushed = read_events(first, 1)
            headers = first.headers
        with stream(client, f"{cache.base}/stories/syria/live?after=2") as second:
            again = read_events(second, 2)

    assert [e.id for e in replayed] == ["3"] and [e.id for e in pushed] == ["5"]
    assert [e.id for e in again] == ["3", "5"]  # asked again, not a stored copy of the first
    assert headers["cache-control"] == "no-store" and headers["x-cache"] == "miss"
