"""The event stream, `/stories/SLUG/live`, on a real uvicorn over SQLite and PostgreSQL."""

from __future__ import annotations

import time

import httpx
import pytest

from domain.application import Newsroom
from infrastructure.web.broadcaster import Broadcaster
from tests.web.conftest import EDITOR, live_story
from tests.web.live_server import live_server, read_events, stream


def test_the_stream_replays_what_came_after_the_cursor_then_pushes_new_changes(
    app: Newsroom, store_url: str
) -> None:
    live_story(app, updates=2)  # versions 1-4
    with (
        live_server(store_url) as base,
        httpx.Client() as client,
        stream(client, f"{base}/stories/syria/live?after=2") as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        replayed = read_events(response, 1)
        app.post_update("syria", "Breaking", "Just in.", editor=EDITOR)  # version 5
        pushed = read_events(response, 1)

    assert [(e.id, e.event, e.data["update"]) for e in replayed] == [("3", "posted", 2)]
    assert [(e.id, e.event, e.data["version"]) for e in pushed] == [("5", "posted", 5)]
    assert pushed[0].data["item"]["title"] == "Breaking" and 'id="update-3"' in pushed[0].data["html"]


def test_a_reconnect_with_last_event_id_gets_only_what_it_missed(app: Newsroom, store_url: str) -> None:
    live_story(app, updates=3)  # versions 1-5: posts at 2, 3, 4
    with live_server(store_url) as base, httpx.Client() as client:
        headers = {"Last-Event-ID": "3"}
        with stream(client, f"{base}/stories/syria/live?after=0", headers=headers) as response:
            missed = read_events(response, 1)
            app.retract_update("syria", 1, reason="Legal", editor=EDITOR)  # version 6
            pushed = read_events(response, 1)

    assert [(e.id, e.event) for e in missed] == [("4", "posted")]
    assert [(e.id, e.event, e.data["item"]) for e in pushed] == [("6", "retracted", None)]


def test_the_stream_ends_after_the_story_closes_and_is_not_reopened(app: Newsroom, store_url: str) -> None:
    live_story(app, updates=1)  # versions 1-3
    with live_server(store_url) as base, httpx.Client() as client:
        with stream(client, f"{base}/stories/syria/live") as response:
            app.close_story("syria", editor=EDITOR)  # version 4
            events = read_events(response, 5)
        again = client.get(f"{base}/stories/syria/live", headers={"Last-Event-ID": "4"})

    assert [(e.id, e.event) for e in events] == [("4", "closed")]
    assert again.status_code == 204  # EventSource stops reconnecting


def test_an_idle_stream_sends_heartbeats(app: Newsroom, store_url: str) -> None:
    live_story(app, updates=1)
    comments: list[str] = []
    with (
        live_server(store_url, heartbeat=0.2) as base,
        httpx.Client() as client,
        stream(client, f"{base}/stories/syria/live") as response,
    ):
        read_events(response, 0, comments=comments)

    assert comments and comments[0].startswith(": ping")


def test_a_stream_of_a_draft_or_a_future_version_is_refused(app: Newsroom, store_url: str) -> None:
    live_story(app, updates=1)
    app.open_story("draft", "Draft", editor=EDITOR)
    with live_server(store_url) as base, httpx.Client() as client:
        draft = client.get(f"{base}/stories/draft/live")
        future = client.get(f"{base}/stories/syria/live?after=99")

    assert draft.status_code == 404 and future.status_code == 400


def test_a_reader_back_from_a_server_further_on_waits_for_this_one_and_misses_nothing(
    app: Newsroom, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_story(app, updates=1)  # versions 1-3
    step = Broadcaster.step

    def late(self: Broadcaster) -> None:  # this server follows the store a second behind
        time.sleep(1.0)
        step(self)

    with live_server(store_url) as base, httpx.Client() as client:
        monkeypatch.setattr(Broadcaster, "step", late)
        app.post_update("syria", "Seen elsewhere", "Already shown by another server.", editor=EDITOR)  # v4
        with stream(client, f"{base}/stories/syria/live", headers={"Last-Event-ID": "4"}) as response:
            status = response.status_code
            app.post_update("syria", "Next", "After the reconnect.", editor=EDITOR)  # version 5
            pushed = read_events(response, 1)

    assert status == 200
    assert [(e.id, e.data["item"]["title"]) for e in pushed] == [("5", "Next")]
