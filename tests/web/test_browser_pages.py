"""A long story's pages in a real headless Chromium (as test_browser.py runs it): older pages as
plain links without JavaScript, "Show older updates" without a reload, permalinks and anchors of
updates on older pages, key events from an older page, and live revisions on an older page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from domain.application import Newsroom
from tests.web.chromium import launched_chromium
from tests.web.live_server import live_server
from tests.web.long_stories import EDITOR, long_story
from tests.web.test_browser import WAIT_MS, Reader, expect

SLUG = "long"
UPDATES = 120


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def reader(browser: Any) -> Iterator[Reader]:
    tab = Reader(browser)
    yield tab
    tab.close()


@pytest.fixture
def long_app(sqlite_url: str) -> Iterator[Newsroom]:
    """A story of 120 updates, 50 and 110 key events: pages 120-101, 100-81, 80-61, 60-41..."""
    from infrastructure.bootstrap import bootstrap

    services = bootstrap(sqlite_url)
    long_story(services.app, SLUG, UPDATES, key_events=(50, 110))
    yield services.app
    services.close()


def distinct(numbers: list[int]) -> bool:
    return len(numbers) == len(set(numbers))


def test_without_javascript_the_pages_are_plain_links(
    long_app: Newsroom, sqlite_url: str, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        with live_server(sqlite_url) as base:
            page.goto(f"{base}/stories/{SLUG}")
            first = _numbers(page)
            page.click("#older-updates")
            page.wait_for_url(f"{base}/stories/{SLUG}?before=101")
            second = _numbers(page)
            page.click("#newer-updates")
            page.wait_for_url(f"{base}/stories/{SLUG}")
    finally:
        context.close()

    assert first == list(range(120, 100, -1))
    assert second == list(range(100, 80, -1))


def test_show_older_updates_adds_them_without_a_reload_and_never_twice(
    long_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        page = reader.open(f"{base}/stories/{SLUG}")
        page.click("#older-updates")
        reader.wait_for("#update-81")
        long_app.post_update(SLUG, "Newest", "Arrived while reading.", editor=EDITOR)
        reader.wait_for_text("#new-updates", "1 new update")  # the reader is down the page
        page.click("#new-updates")
        reader.wait_for("#update-121")
        page.click("#older-updates")
        reader.wait_for("#update-61")
        shown = reader.numbers()
        reader.assert_quiet()

    assert shown == list(range(121, 60, -1))
    assert distinct(shown)
    assert page.get_attribute("#older-updates", "href") == "/stories/long?before=61"


def test_a_permalink_of_an_update_on_an_older_page_leads_to_it_in_context(
    long_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        page = reader.open(f"{base}/stories/{SLUG}/updates/30")
        title = page.title()
        page.click("#in-context")
        page.wait_for_url(f"{base}/stories/{SLUG}?before=31#update-30")
        expect(page.locator("#update-30")).to_be_in_viewport(timeout=WAIT_MS)

    assert reader.errors == []
    assert title == "Update 30 · A long story"
    assert reader.numbers() == list(range(30, 10, -1))


def test_an_anchor_on_the_newest_page_of_an_update_on_an_older_page_is_followed(
    long_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        page = reader.page
        page.goto(f"{base}/stories/{SLUG}#update-30")
        page.wait_for_url(f"{base}/stories/{SLUG}?before=31#update-30")
        expect(page.locator("#update-30")).to_be_in_viewport(timeout=WAIT_MS)


def test_the_key_events_of_the_whole_story_are_listed_and_followed_from_page_three(
    long_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        page = reader.open(f"{base}/stories/{SLUG}?before=81")
        listed = page.eval_on_selector_all("#key-events-list li", "items => items.map(i => i.dataset.number)")
        page.click('#key-events-list li[data-number="50"] a')
        page.wait_for_url(f"{base}/stories/{SLUG}?before=51#update-50")
        expect(page.locator("#update-50")).to_be_in_viewport(timeout=WAIT_MS)
        page.go_back()
        page.click('#key-events-list li[data-number="110"] a')
        page.wait_for_url(f"{base}/stories/{SLUG}?before=111#update-110")
        expect(page.locator("#update-110")).to_be_in_viewport(timeout=WAIT_MS)

    assert listed == ["110", "50"]


def test_a_revision_on_an_older_page_reaches_a_reader_of_that_page(
    long_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        page = reader.open(f"{base}/stories/{SLUG}?before=81")
        long_app.post_update(SLUG, "Newest", "Not for this page.", editor=EDITOR)
        long_app.revise_update(SLUG, 70, title="Update 70, revised", reason="Sharper", editor=EDITOR)
        reader.wait_for_text("#update-70 h3", "Update 70, revised")
        long_app.revise_update(SLUG, 110, title="Update 110, revised", reason="Sharper", editor=EDITOR)
        long_app.mark_key_event(SLUG, 65, editor=EDITOR)
        reader.wait_for('#key-events-list li[data-number="65"]')
        reader.assert_quiet()
        key_event_href = page.get_attribute('#key-events-list li[data-number="65"] a', "href")

    assert reader.numbers() == list(range(80, 60, -1))
    assert key_event_href == "#update-65"
    assert "Updated" in page.inner_text("#update-70 .meta")


def _numbers(page: Any) -> list[int]:
    return [
        int(n) for n in page.eval_on_selector_all("#updates > article", "a => a.map(e => e.dataset.number)")
    ]


def test_older_updates_from_a_stale_cache_are_brought_up_to_date(
    long_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    import httpx

    with live_server(sqlite_url) as base:
        stale = httpx.get(f"{base}/stories/{SLUG}?before=101").text  # as a cache would keep it
        page = reader.open(f"{base}/stories/{SLUG}")
        long_app.revise_update(SLUG, 90, title="Update 90, revised", reason="Sharper", editor=EDITOR)
        reader.wait_for(f'#live-blog[data-version="{long_app.get_story(SLUG).version}"]')
        page.route(
            f"{base}/stories/{SLUG}?before=101",
            lambda route: route.fulfill(body=stale, content_type="text/html"),
        )
        page.click("#older-updates")
        reader.wait_for_text("#update-90 h3", "Update 90, revised")
        reader.assert_quiet()

    assert reader.numbers() == list(range(120, 80, -1))
