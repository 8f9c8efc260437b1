"""Apps and partners on other origins may read the JSON API and the live streams (GET and HEAD,
from the configured origins, `*` by default), preflight included; nothing else is opened."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.web.app import create_app
from infrastructure.web.cors import BadOrigin, allowed_origins
from infrastructure.web.site import Site
from tests.web.conftest import live_story
from tests.web.test_limits import newsroom

APP = "https://app.example"
OPEN = ["/api/stories", "/api/stories/syria", "/api/stories/syria/changes?after=0"]
CLOSED = ["/", "/stories/syria", "/stories/syria/feed.atom", "/static/live.js", "/healthz"]


@pytest.fixture
def partner_only(site: Site) -> Iterator[TestClient]:
    app = create_app(site, follow=False, cors_origins=("https://partner.example",))
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize("path", OPEN)
def test_the_json_api_may_be_read_from_any_origin_by_default(
    app: Newsroom, site: Site, client: TestClient, path: str
) -> None:
    live_story(app)
    site.refresh()

    answer = client.get(path, headers={"Origin": APP})

    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "ETag" in answer.headers["access-control-expose-headers"]


def test_a_closed_story_stream_answers_other_origins_too(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    app.close_story("syria", editor="Ann Editor")
    site.refresh()
    version = site.visible("syria").version

    answer = client.get(f"/stories/syria/live?after={version}", headers={"Origin": APP})

    assert answer.status_code == 204 and answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", [*OPEN, "/stories/syria/live"])
def test_a_preflight_for_a_get_is_answered(app: Newsroom, site: Site, client: TestClient, path: str) -> None:
    live_story(app)
    site.refresh()

    answer = client.options(
        path,
        headers={
            "Origin": APP,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "last-event-id",
        },
    )

    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    assert set(answer.headers["access-control-allow-methods"].split(", ")) == {"GET", "HEAD"}
    assert "last-event-id" in answer.headers["access-control-allow-headers"].lower()


def test_a_preflight_for_a_write_is_refused(app: Newsroom, site: Site, client: TestClient) -> None:
    live_story(app)
    site.refresh()

    answer = client.options(
        "/api/stories/syria", headers={"Origin": APP, "Access-Control-Request-Method": "POST"}
    )

    assert answer.status_code == 400
    assert "POST" not in answer.headers.get("access-control-allow-methods", "")


@pytest.mark.parametrize("path", CLOSED)
def test_the_pages_feeds_and_files_are_not_opened_to_other_origins(
    app: Newsroom, site: Site, client: TestClient, path: str
) -> None:
    live_story(app)
    site.refresh()

    answer = client.get(path, headers={"Origin": APP})
    preflight = client.options(path, headers={"Origin": APP, "Access-Control-Request-Method": "GET"})

    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_configured_origins_alone_are_allowed(app: Newsroom, site: Site, partner_only: TestClient) -> None:
    live_story(app)
    site.refresh()

    partner = partner_only.get("/api/stories/syria", headers={"Origin": "https://partner.example"})
    stranger = partner_only.get("/api/stories/syria", headers={"Origin": APP})

    assert partner.headers["access-control-allow-origin"] == "https://partner.example"
    assert "Origin" in partner.headers["vary"]
    assert "access-control-allow-origin" not in stranger.headers


def test_origins_are_read_from_a_list() -> None:
    assert allowed_origins("*") == ("*",)
    assert allowed_origins("https://a.example, http://b.example:8080") == (
        "https://a.example",
        "http://b.example:8080",
    )


@pytest.mark.parametrize(
    "setting",
    [
        "",
        "app.example",
        "https://app.example/",
        "https://app.example/path",
        "ftp://app.example",
        "https://user@app.example",
        "https://App.Example",
        "https://app.example:99999",
        "*, https://a.example",
    ],
)
def test_a_bad_origin_setting_is_refused(setting: str) -> None:
    with pytest.raises(BadOrigin):
        allowed_origins(setting)


def test_serve_refuses_a_bad_origin_on_one_line(sqlite_url: str) -> None:
    result = newsroom(sqlite_url, "serve", "--port", "0", "--cors-origin", "https://app.example/")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "NEWSROOM_CORS_ORIGIN" in result.stderr
