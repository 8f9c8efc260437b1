"""What a search engine reads of a story's page, read as one does (extruct): the LiveBlogPosting's
author, publisher, address and image, each update's author, and the dates in the record's order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import extruct
import httpx
import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.web.app import create_app
from infrastructure.web.masthead import BadPublisher, masthead
from infrastructure.web.site import Site
from tests.seed_content import SEED_SLUG
from tests.web.conftest import EDITOR, live_story
from tests.web.live_server import serve_process
from tests.web.test_limits import newsroom

PUBLIC = "https://news.example/live/"


def posting(html: str) -> dict[str, Any]:
    """The page's one LiveBlogPosting, as extruct finds it."""
    found = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    postings = [item for item in found if item.get("@type") == "LiveBlogPosting"]
    assert len(postings) == 1
    return postings[0]


def story_with_bylines(app: Newsroom) -> None:
    """A live story of three updates: the first bylined with a sourceless image, the second
    bylined with a picture, the third unsigned."""
    app.open_story("syria", "Syria talks", standfirst="Leaders meet in Sochi.", editor=EDITOR)
    app.publish_story("syria", editor=EDITOR)
    app.post_update("syria", "Arrival", "![A caption alone]()\n\nThey arrive.", byline="Carl", editor=EDITOR)
    picture = "![The leaders](https://images.example/sochi.jpg)\nCredit: Pat Photo\n\nThey meet."
    app.post_update("syria", "Talks", picture, byline="Dana Reporter", editor=EDITOR)
    app.post_update("syria", "Statement", "They speak.", editor=EDITOR)


@pytest.fixture
def configured(site: Site) -> Iterator[TestClient]:
    about = masthead(
        PUBLIC,
        name="The Daily Example",
        url="https://daily.example/",
        logo="https://daily.example/logo.png",
    )
    with TestClient(create_app(site, follow=False, public_url=PUBLIC, about=about)) as test_client:
        yield test_client


def test_the_posting_names_its_author_publisher_and_page(
    app: Newsroom, site: Site, configured: TestClient
) -> None:
    story_with_bylines(app)
    site.refresh()

    ld = posting(configured.get("/stories/syria").text)

    daily = {"@type": "Organization", "name": "The Daily Example", "url": "https://daily.example/"}
    assert ld["author"] == daily
    assert ld["publisher"] == {
        **daily,
        "logo": {"@type": "ImageObject", "url": "https://daily.example/logo.png"},
    }
    assert ld["url"] == f"{PUBLIC}stories/syria"
    assert ld["mainEntityOfPage"] == {"@type": "WebPage", "@id": f"{PUBLIC}stories/syria"}
    assert ld["image"] == "https://images.example/sochi.jpg"


def test_every_update_with_a_byline_has_it_as_its_author(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    story_with_bylines(app)
    site.refresh()

    updates = posting(client.get("/stories/syria").text)["liveBlogUpdate"]

    authors = {u["headline"]: u.get("author") for u in updates}
    assert authors == {
        "Statement": None,
        "Talks": {"@type": "Person", "name": "Dana Reporter"},
        "Arrival": {"@type": "Person", "name": "Carl"},
    }
    assert [u["url"] for u in updates] == [f"/stories/syria#update-{n}" for n in (3, 2, 1)]


def test_without_configuration_the_publisher_is_the_site_itself(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    site.refresh()

    ld = posting(client.get("/stories/syria").text)

    assert ld["publisher"] == {
        "@type": "Organization",
        "name": "Newsroom",
        "url": "/",
        "logo": {"@type": "ImageObject", "url": "/static/favicon.svg"},
    }
    assert ld["author"]["name"] == "Newsroom"
    assert ld["mainEntityOfPage"]["@id"] == "/stories/syria"
    assert "image" not in ld  # no update has a picture


def test_a_story_whose_images_have_no_source_names_no_image(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=0)
    app.post_update("syria", "Arrival", "![A caption alone]()\n\nThey arrive.", editor=EDITOR)
    site.refresh()

    assert "image" not in posting(client.get("/stories/syria").text)


def test_the_seed_story_is_published_before_its_first_update(seeded: Newsroom, client: TestClient) -> None:
    ld = posting(client.get(f"/stories/{SEED_SLUG}").text)

    posted = [u["datePublished"] for u in ld["liveBlogUpdate"]]
    assert len(posted) == 5
    assert all(ld["datePublished"] < moment for moment in posted)
    assert ld["coverageStartTime"] == ld["datePublished"]


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("name", ""),
        ("name", "two\nlines"),
        ("name", "x" * 201),
        ("url", "ftp://daily.example/"),
        ("url", "daily.example"),
        ("url", "https://user@daily.example/"),
        ("logo", "javascript:alert(1)"),
        ("logo", 'https://daily.example/"><script>'),
        ("logo", "https://daily.example:99999/logo.png"),
    ],
)
def test_a_bad_publisher_setting_is_refused(setting: str, value: str) -> None:
    with pytest.raises(BadPublisher):
        masthead(None, **{setting: value})


def test_serve_refuses_a_bad_publisher_logo_on_one_line(sqlite_url: str) -> None:
    result = newsroom(sqlite_url, "serve", "--port", "0", "--publisher-logo", "logo.png")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "NEWSROOM_PUBLISHER_LOGO" in result.stderr


def test_serve_reads_the_publisher_and_the_origins_from_the_environment(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert newsroom(sqlite_url, "seed").returncode == 0
    monkeypatch.setenv("NEWSROOM_PUBLISHER_NAME", "The Daily Example")
    monkeypatch.setenv("NEWSROOM_PUBLISHER_URL", "https://daily.example/")
    monkeypatch.setenv("NEWSROOM_PUBLISHER_LOGO", "https://daily.example/logo.png")
    monkeypatch.setenv("NEWSROOM_CORS_ORIGIN", "https://partner.example")

    with serve_process(sqlite_url) as (_process, base), httpx.Client() as client:
        page = client.get(f"{base}/stories/{SEED_SLUG}")
        api = client.get(f"{base}/api/stories/{SEED_SLUG}", headers={"Origin": "https://partner.example"})

    publisher = posting(page.text)["publisher"]
    assert (publisher["name"], publisher["url"], publisher["logo"]["url"]) == (
        "The Daily Example",
        "https://daily.example/",
        "https://daily.example/logo.png",
    )
    assert api.headers["access-control-allow-origin"] == "https://partner.example"
