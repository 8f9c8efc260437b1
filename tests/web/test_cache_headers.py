"""What each answer says a cache may keep (`Cache-Control`) and the tags a purge reaches it by
(`Surrogate-Key`), and the changes API's ranges that end at a known version."""

from __future__ import annotations

import httpx
import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from domain.meanings import MEANINGS_BY_NAME
from infrastructure.web.app import create_app
from infrastructure.web.cache_policy import IMMUTABLE, CachePolicy, stale_tags
from infrastructure.web.site import Site
from tests.web.conftest import EDITOR, live_story
from tests.web.live_server import live_server, stream

HEAD = "public, max-age=2, stale-while-revalidate=2"


@pytest.mark.parametrize(
    "path",
    [
        "/stories/syria?version=4",
        "/stories/syria?version=4&filter=key-events",
        "/api/stories/syria/changes?after=1&until=3",
    ],
)
def test_an_answer_at_a_known_version_is_immutable_and_tagged_with_its_story(
    app: Newsroom, site: Site, client: TestClient, path: str
) -> None:
    live_story(app)  # versions 1-4, published at 4
    app.post_update("syria", "Later", "After.", editor=EDITOR)
    site.refresh()

    answer = client.get(path)

    assert answer.status_code == 200
    assert answer.headers["cache-control"] == IMMUTABLE
    assert answer.headers["surrogate-key"].split() == ["newsroom", "story/syria"]


@pytest.mark.parametrize(
    ("path", "tags"),
    [
        ("/stories/syria", "newsroom story/syria story/syria/head"),
        ("/stories/syria?filter=key-events", "newsroom story/syria story/syria/head"),
        ("/api/stories/syria", "newsroom story/syria story/syria/head"),
        ("/api/stories/syria/changes?after=2", "newsroom story/syria story/syria/head"),
        ("/stories/syria/feed.atom", "newsroom story/syria story/syria/head"),
        ("/", "newsroom stories"),
        ("/api/stories", "newsroom stories"),
    ],
)
def test_an_answer_showing_the_story_now_is_kept_a_few_seconds_and_tagged_with_its_head(
    app: Newsroom, site: Site, client: TestClient, path: str, tags: str
) -> None:
    live_story(app)
    site.refresh()

    answer = client.get(path)

    assert answer.status_code == 200
    assert answer.headers["cache-control"] == HEAD
    assert answer.headers["surrogate-key"] == tags
    assert answer.headers["cache-tag"] == tags.replace(" ", ",")


def test_a_revalidation_gets_a_304_that_says_the_same(app: Newsroom, site: Site, client: TestClient) -> None:
    live_story(app)
    site.refresh()
    etag = client.get("/stories/syria?version=4").headers["etag"]

    again = client.get("/stories/syria?version=4", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.headers["cache-control"] == IMMUTABLE
    assert again.headers["surrogate-key"] == "newsroom story/syria"


@pytest.mark.parametrize(
    "path",
    [
        "/stories/nowhere",
        "/stories/syria?version=99",
        "/api/stories/syria/changes?after=1&until=99",
        "/api/stories/syria/changes?after=3&until=2",
        "/api/stories/syria/changes",
        "/healthz",
    ],
)
def test_errors_and_health_are_never_stored(app: Newsroom, site: Site, client: TestClient, path: str) -> None:
    live_story(app)
    site.refresh()

    answer = client.get(path)

    assert answer.headers["cache-control"] == "no-store"
    assert "surrogate-key" not in answer.headers


def test_the_stream_is_never_stored(app: Newsroom, store_url: str) -> None:
    live_story(app)
    with (
        live_server(store_url) as base,
        httpx.Client() as client,
        stream(client, f"{base}/stories/syria/live") as response,
    ):
        headers = response.headers

    assert headers["cache-control"] == "no-store"
    assert "surrogate-key" not in headers


def test_how_long_the_head_is_kept_is_the_servers_to_say(app: Newsroom, site: Site) -> None:
    live_story(app)
    site.refresh()

    with TestClient(create_app(site, follow=False, cache_policy=CachePolicy(7))) as client:
        head = client.get("/stories/syria").headers["cache-control"]
        versioned = client.get("/stories/syria?version=4").headers["cache-control"]

    assert head == "public, max-age=7, stale-while-revalidate=7"
    assert versioned == IMMUTABLE


def test_the_head_of_the_changes_hands_out_the_range_it_covers(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=3)  # versions 1-5
    site.refresh()

    head = client.get("/api/stories/syria/changes?after=1").json()
    ranged = client.get(f"/api/stories/syria/changes?after=1&until={head['until']}").json()
    app.post_update("syria", "Later", "After the range.", editor=EDITOR)  # version 6
    site.refresh()
    still = client.get(f"/api/stories/syria/changes?after=1&until={head['until']}").json()

    assert head["until"] == 5 and head["version"] == 5
    assert ranged == head
    assert still == head  # the range ends where it ended: the new update is not in it


def test_a_range_pages_by_limit_up_to_its_end(app: Newsroom, site: Site, client: TestClient) -> None:
    live_story(app, updates=3)  # versions 1-5
    app.post_update("syria", "Later", "After the range.", editor=EDITOR)  # version 6
    site.refresh()

    first = client.get("/api/stories/syria/changes?after=1&until=5&limit=2").json()
    rest = client.get(f"/api/stories/syria/changes?after={first['version']}&until=5&limit=2").json()

    assert [c["version"] for c in first["changes"]] == [2, 3] and first["has_more"] is True
    assert [c["version"] for c in rest["changes"]] == [4] and rest["has_more"] is False
    assert rest["until"] == 5 and rest["version"] == 5


def test_what_an_event_makes_stale_is_said_by_its_meaning() -> None:
    revised = MEANINGS_BY_NAME["UpdateRevised"].stale(3)
    taken_down = MEANINGS_BY_NAME["UpdateTakenDown"].stale(3)
    behind = MEANINGS_BY_NAME["UpdateSubmitted"].stale(None)

    assert stale_tags("syria", revised) == {"story/syria/head", "stories", "story/syria/update/3"}
    assert stale_tags("syria", taken_down) == {
        "story/syria",
        "story/syria/head",
        "stories",
        "story/syria/update/3",
    }
    assert stale_tags("syria", behind) == {"story/syria/head", "stories"}
