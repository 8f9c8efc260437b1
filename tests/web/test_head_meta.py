"""What a link preview and a search result read of a page's head: its description from the
standfirst, its canonical address, Open Graph and Twitter card tags; the index names its zone;
no page shows a figure without a picture."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.web.app import create_app
from infrastructure.web.head_meta import DESCRIPTION_MAX, description
from infrastructure.web.site import Site
from tests.seed_content import SEED_SLUG
from tests.web.conftest import EDITOR, live_story

PUBLIC = "https://news.example/live/"


class HeadTags(HTMLParser):
    """The `<meta>` tags (by name or property) and the canonical link of a page, and its figures
    with whether each holds a picture."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.figures: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "meta" and (named.get("name") or named.get("property")):
            self.meta[named.get("name") or named["property"] or ""] = named.get("content") or ""
        elif tag == "link" and named.get("rel") == "canonical":
            self.canonical = named.get("href")
        elif tag == "figure":
            self.figures.append(False)
        elif tag == "img" and self.figures and named.get("src"):
            self.figures[-1] = True


def head_tags(html: str) -> HeadTags:
    parser = HeadTags()
    parser.feed(html)
    return parser


@pytest.fixture
def public(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site, follow=False, public_url=PUBLIC)) as test_client:
        yield test_client


def test_a_story_page_previews_with_its_headline_standfirst_picture_and_address(
    app: Newsroom, site: Site, public: TestClient
) -> None:
    live_story(app)
    app.post_update("syria", "Talks", "![The leaders](/pictures/sochi.jpg)\n\nThey meet.", editor=EDITOR)
    site.refresh()

    tags = head_tags(public.get("/stories/syria").text)

    assert tags.canonical == f"{PUBLIC}stories/syria"
    assert {key: tags.meta.get(key) for key in ("description", "og:title", "og:description", "og:url")} == {
        "description": "Leaders meet",
        "og:title": "Syria talks",
        "og:description": "Leaders meet",
        "og:url": f"{PUBLIC}stories/syria",
    }
    assert tags.meta["og:image"] == tags.meta["twitter:image"] == "https://news.example/pictures/sochi.jpg"
    assert tags.meta["twitter:card"] == "summary_large_image"
    assert (tags.meta["twitter:title"], tags.meta["twitter:description"]) == ("Syria talks", "Leaders meet")


def test_without_a_public_url_a_page_names_no_relative_canonical_address(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    app.open_story("syria", "Syria talks", editor=EDITOR)  # no standfirst
    app.publish_story("syria", editor=EDITOR)
    site.refresh()

    tags = head_tags(client.get("/stories/syria").text)

    assert tags.canonical is None and "og:url" not in tags.meta and "og:image" not in tags.meta
    assert tags.meta["description"] == "Syria talks"
    assert tags.meta["twitter:card"] == "summary"


def test_the_index_previews_as_the_publisher_s_live_coverage(
    app: Newsroom, site: Site, public: TestClient
) -> None:
    live_story(app)
    site.refresh()

    tags = head_tags(public.get("/").text)

    assert tags.canonical == tags.meta["og:url"] == PUBLIC
    assert tags.meta["og:type"] == "website" and tags.meta["og:site_name"] == "Newsroom"
    assert tags.meta["description"].startswith("Live coverage from Newsroom")


def test_a_long_standfirst_is_cut_at_a_word_on_one_line() -> None:
    cut = description("word " * 100 + "\n\nlast")

    assert len(cut) <= DESCRIPTION_MAX and cut.endswith("word…") and "\n" not in cut


def test_the_index_names_the_zone_its_times_are_in(app: Newsroom, site: Site, client: TestClient) -> None:
    live_story(app)
    site.refresh()

    assert re.search(r"All times UTC", client.get("/").text)


def test_an_index_of_stories_in_different_zones_names_each_times_zone(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, "syria")
    live_story(app, "sochi")
    app.change_time_zone("sochi", "Europe/Moscow", editor=EDITOR)
    site.refresh()

    index = client.get("/").text

    assert "All times" not in index
    zones = re.findall(r'<span class="zone">([^<]*)</span>', index)
    assert sorted(zones) == ["Europe/Moscow (MSK)", "UTC"]


def test_no_page_of_the_seed_shows_a_figure_without_a_picture(seeded: Newsroom, client: TestClient) -> None:
    for path in ("/", f"/stories/{SEED_SLUG}", f"/stories/{SEED_SLUG}?filter=key-events"):
        assert all(head_tags(client.get(path).text).figures), path
