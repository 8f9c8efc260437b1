"""The request's Host header is anyone's to send: it never reaches an answer. Links that must be
absolute (the feed's) start with the configured public URL, or are relative without one."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser
import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.web.app import create_app
from infrastructure.web.public_url import BadPublicUrl, public_base
from infrastructure.web.site import Site
from tests.web.conftest import live_story
from tests.web.test_limits import newsroom

HOSTILE = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example"}
PATHS = [
    "/",
    "/stories/syria",
    "/stories/syria/",
    "/stories/syria?version=2",
    "/stories/syria/feed.atom",
    "/stories/syria/feed.atom/",
    "/api/stories",
    "/api/stories/",
    "/api/stories/syria",
    "/api/stories/syria/changes?after=0",
    "/api/stories/syria/changes",
    "/stories/nothing-here",
    "/static",
    "/static/",
    "/static/live.js",
    "/static/live_page.js",
    "/healthz",
]


@pytest.fixture
def public(site: Site) -> Iterator[TestClient]:
    app = create_app(site, follow=False, public_url="https://news.example/live/")
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("path", PATHS)
def test_a_hostile_host_header_appears_nowhere_in_an_answer(
    app: Newsroom, site: Site, client: TestClient, path: str
) -> None:
    live_story(app)
    site.refresh()

    answer = client.get(path, headers=HOSTILE, follow_redirects=False)

    assert "evil.example" not in answer.text
    assert all("evil.example" not in value for value in answer.headers.values())


def test_without_a_public_url_the_feed_links_are_relative(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    site.refresh()

    feed = feedparser.parse(client.get("/stories/syria/feed.atom", headers=HOSTILE).text)

    assert feed.feed.link == "/stories/syria"
    assert feed.entries[0].link == "/stories/syria/updates/2"


def test_with_a_public_url_the_feed_links_start_with_it(
    app: Newsroom, site: Site, public: TestClient
) -> None:
    live_story(app)
    site.refresh()

    text = public.get("/stories/syria/feed.atom", headers=HOSTILE).text
    feed = feedparser.parse(text)

    assert feed.feed.link == "https://news.example/live/stories/syria"
    assert 'href="https://news.example/live/stories/syria/feed.atom"' in text
    assert feed.entries[0].link == "https://news.example/live/stories/syria/updates/2"
    assert "evil.example" not in text


@pytest.mark.parametrize(
    ("given", "base"),
    [
        ("https://news.example", "https://news.example/"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        ("https://news.example/live", "https://news.example/live/"),
    ],
)
def test_a_public_url_is_kept_ending_in_a_slash(given: str, base: str) -> None:
    assert public_base(given) == base


@pytest.mark.parametrize(
    "given",
    [
        "ftp://news.example/",
        "javascript:alert(1)",
        "news.example",
        "https://",
        "https://news.example/?a=1",
        "https://news.example/#top",
        "https://user:secret@news.example/",
        "https://news.example:99999/",
        "https://news.example/\nSet-Cookie: a=b",
        'https://news.example/"><script>',
    ],
)
def test_a_bad_public_url_is_refused(given: str) -> None:
    with pytest.raises(BadPublicUrl):
        public_base(given)


def test_serve_refuses_a_bad_public_url_on_one_line(sqlite_url: str) -> None:
    result = newsroom(sqlite_url, "serve", "--port", "0", "--public-url", "ftp://news.example/")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "http:// or https://" in result.stderr


def test_serve_reads_the_public_url_from_the_environment(sqlite_url: str) -> None:
    import os
    import subprocess
    import sys

    from tests.web.test_limits import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "cli", "--db", sqlite_url, "serve", "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NEWSROOM_PUBLIC_URL": "https://news.example/?q"},
    )

    assert result.returncode == 2 and "query or a fragment" in result.stderr
