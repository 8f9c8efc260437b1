"""The live page in a real headless Chromium (Debian's `chromium`, driven by Playwright; nothing
is downloaded): editors' changes reach an open page without a reload.

Skipped when Chromium or Playwright is missing, except with NEWSROOM_REQUIRE_BROWSER set (CI sets
it), when they fail instead. Waits are bounded (`WAIT_MS`) so nothing hangs; no test asserts
how long anything took.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says so
    expect = None  # type: ignore[assignment]

from domain.application import Newsroom
from infrastructure.seed_loader import load_seed, seed_files
from tests.seed_content import SEED_SLUG, missing_or_out_of_order
from tests.web.chromium import launched_chromium
from tests.web.conftest import ROOT
from tests.web.live_server import live_server

WAIT_MS = 10_000
"""The longest any step waits for the page (a bound against hanging, not a performance check)."""
EDITOR = "Ann Editor"
NETWORK_NOISE = ("ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_EMPTY_RESPONSE", "ERR_INCOMPLETE")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def seeded_app(sqlite_url: str) -> Iterator[Newsroom]:
    from infrastructure.bootstrap import bootstrap

    services = bootstrap(sqlite_url)
    for path in seed_files(ROOT / "seeds"):
        load_seed(services.app, path)
    yield services.app
    services.close()


class Reader:
    """One browser tab on the story, recording console errors."""

    def __init__(self, browser: Any, *, event_source: bool = True) -> None:
        self.context = browser.new_context(viewport={"width": 1000, "height": 700})
        if not event_source:
            self.context.add_init_script("delete window.EventSource; window.EventSource = undefined;")
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, url: str) -> Any:
        self.page.goto(url)
        self.page.evaluate("window.notReloaded = true")
        return self.page

    def numbers(self) -> list[int]:
        return [
            int(n)
            for n in self.page.eval_on_selector_all("#updates > article", "a => a.map(e => e.dataset.number)")
        ]

    # Waiting goes through selectors, never a JavaScript predicate: the page's CSP forbids eval.

    def wait_for(self, selector: str, state: str = "attached") -> None:
        self.page.wait_for_selector(selector, state=state, timeout=WAIT_MS)

    def wait_for_text(self, selector: str, text: str) -> None:
        expect(self.page.locator(selector)).to_have_text(text, timeout=WAIT_MS)

    def wait_for_first(self, article_id: str) -> None:
        expect(self.page.locator("#updates > article").first).to_have_id(article_id, timeout=WAIT_MS)

    def assert_quiet(self, *, allow_network: bool = False) -> None:
        errors = [e for e in self.errors if not (allow_network and any(n in e for n in NETWORK_NOISE))]
        assert errors == []
        assert self.page.evaluate("window.notReloaded === true")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def reader(browser: Any) -> Iterator[Reader]:
    tab = Reader(browser)
    yield tab
    tab.close()


def story_url(base: str) -> str:
    return f"{base}/stories/{SEED_SLUG}"


def test_first_render_shows_the_seed_story_as_the_cli_page_does(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        page = reader.open(story_url(base))
        text = page.inner_text("main")
        reader.assert_quiet()

    assert missing_or_out_of_order(text) == []
    assert reader.numbers() == [5, 4, 3, 2, 1]


def test_a_posted_update_appears_at_the_top_without_a_reload(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        reader.open(story_url(base))
        seeded_app.post_update(SEED_SLUG, "Breaking: talks end", "Both sides left.", editor=EDITOR)
        reader.wait_for("#update-6")
        announced = reader.page.inner_text("#announcer")
        reader.assert_quiet()

    assert reader.numbers() == [6, 5, 4, 3, 2, 1]
    assert "Both sides left." in reader.page.inner_text("#update-6")
    assert announced == "New update: Breaking: talks end"


def test_a_reader_scrolled_down_gets_a_new_updates_button_and_keeps_their_place(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        page = reader.open(story_url(base))
        page.eval_on_selector("#update-2", "e => e.scrollIntoView()")
        place = page.eval_on_selector("#update-2", "e => e.getBoundingClientRect().top")
        seeded_app.post_update(SEED_SLUG, "First news", "One.", editor=EDITOR)
        seeded_app.post_update(SEED_SLUG, "Second news", "Two.", editor=EDITOR)
        reader.wait_for_text("#new-updates", "2 new updates")
        page.wait_for_timeout(300)  # let a wrongly placed update show, if one would
        held = (
            reader.numbers(),
            page.title(),
            page.eval_on_selector("#update-2", "e => e.getBoundingClientRect().top"),
        )
        page.click("#new-updates")
        reader.wait_for("#update-7")
        reader.assert_quiet()

    assert held == ([5, 4, 3, 2, 1], "(2) Disputes over Syria summit plan", place)
    assert reader.numbers() == [7, 6, 5, 4, 3, 2, 1]
    assert page.title() == "Disputes over Syria summit plan" and page.is_hidden("#new-updates")


def test_a_revision_replaces_the_update_in_place_with_its_updated_mark(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        reader.open(story_url(base))
        seeded_app.revise_update(
            SEED_SLUG, 3, title="Cameron meets Putin in Sochi", reason="Sharper", editor=EDITOR
        )
        reader.wait_for_text("#update-3 h3", "Cameron meets Putin in Sochi")
        reader.assert_quiet()

    assert reader.numbers() == [5, 4, 3, 2, 1]
    assert "Updated" in reader.page.inner_text("#update-3 .meta")


def test_a_retracted_update_disappears(seeded_app: Newsroom, sqlite_url: str, reader: Reader) -> None:
    with live_server(sqlite_url) as base:
        reader.open(story_url(base))
        seeded_app.retract_update(SEED_SLUG, 4, reason="Legal advice", editor=EDITOR)
        reader.wait_for("#update-4", state="detached")
        reader.assert_quiet()

    assert reader.numbers() == [5, 3, 2, 1]


def test_a_pin_moves_the_update_to_the_top_and_a_new_pin_moves_it_back(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        reader.open(story_url(base))
        seeded_app.pin_update(SEED_SLUG, 2, editor=EDITOR)
        reader.wait_for_first("update-2")
        first_pin = reader.numbers()
        seeded_app.pin_update(SEED_SLUG, 1, editor=EDITOR)
        reader.wait_for_first("update-1")
        reader.assert_quiet()

    assert first_pin == [2, 5, 4, 3, 1]
    assert reader.numbers() == [1, 5, 4, 3, 2]
    assert reader.page.get_attribute("#update-1", "class") == "update pinned"
    assert "Pinned" not in reader.page.inner_text("#update-2")


def test_a_quote_correction_shows_its_note(seeded_app: Newsroom, sqlite_url: str, reader: Reader) -> None:
    with live_server(sqlite_url) as base:
        reader.open(story_url(base))
        seeded_app.correct_quote(
            SEED_SLUG, 2, 1, attribution="A Downing Street spokesman", note="Attribution fixed", editor=EDITOR
        )
        reader.wait_for("#update-2 .correction")
        reader.assert_quiet()

    assert "Attribution fixed" in reader.page.inner_text("#update-2 .correction")
    assert "A Downing Street spokesman" in reader.page.inner_text("#update-2 blockquote")


def test_a_server_restart_loses_and_doubles_nothing(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    with live_server(sqlite_url) as base:
        reader.open(story_url(base))
        seeded_app.post_update(SEED_SLUG, "Before the restart", "One.", editor=EDITOR)
        reader.wait_for("#update-6")
        port = int(base.rsplit(":", 1)[1])
    seeded_app.post_update(SEED_SLUG, "While it was down", "Two.", editor=EDITOR)
    seeded_app.revise_update(SEED_SLUG, 6, body="One, revised.", reason="More", editor=EDITOR)
    with live_server(sqlite_url, port=port):
        reader.wait_for("#update-7")
        seeded_app.post_update(SEED_SLUG, "After the restart", "Three.", editor=EDITOR)
        reader.wait_for("#update-8")
        reader.assert_quiet(allow_network=True)

    assert reader.numbers() == [8, 7, 6, 5, 4, 3, 2, 1]
    assert "One, revised." in reader.page.inner_text("#update-6")


def test_without_event_source_the_page_polls_the_changes_feed(
    seeded_app: Newsroom, sqlite_url: str, browser: Any
) -> None:
    reader = Reader(browser, event_source=False)
    try:
        with live_server(sqlite_url) as base:
            reader.open(story_url(base))
            seeded_app.post_update(SEED_SLUG, "Polled", "Found by polling.", editor=EDITOR)
            reader.wait_for("#update-6")
            seeded_app.retract_update(SEED_SLUG, 5, reason="Wrong", editor=EDITOR)
            reader.wait_for("#update-5", state="detached")
            reader.assert_quiet()

        assert reader.numbers() == [6, 4, 3, 2, 1]
        assert any("/changes?after=" in url for url in reader.requests)
        assert not any("/live?" in url for url in reader.requests)
    finally:
        reader.close()


def test_the_key_events_view_stays_filtered_as_updates_arrive(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    seeded_app.mark_key_event(SEED_SLUG, 1, editor=EDITOR)
    with live_server(sqlite_url) as base:
        reader.open(f"{story_url(base)}?filter=key-events")
        seeded_app.post_update(SEED_SLUG, "Minor", "Not key.", editor=EDITOR)
        seeded_app.post_update(SEED_SLUG, "Major", "Key.", key_event=True, editor=EDITOR)
        reader.wait_for("#update-7")
        listed = reader.page.inner_text("#key-events-list")
        reader.assert_quiet()

    assert reader.numbers() == [7, 1]
    assert "Major" in listed


def test_past_the_stream_cap_the_page_polls_and_waits_out_retry_after_before_streaming_again(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    import httpx

    from infrastructure.web.limits import Limits
    from tests.web.live_server import stream

    limits = Limits(max_connections=50, max_streams=1, backlog=8)
    with live_server(sqlite_url, limits=limits) as base, httpx.Client() as client:
        with stream(client, f"{story_url(base)}/live") as taken:  # the one stream there is
            assert taken.status_code == 200
            reader.open(story_url(base))
            seeded_app.post_update(SEED_SLUG, "Polled in", "Through the changes feed.", editor=EDITOR)
            reader.wait_for("#update-6")
            reader.page.wait_for_timeout(4500)  # twice past the usual reconnect delay (2 s)
        errors = [e for e in reader.errors if "page error" in e]

    live = [url for url in reader.requests if "/live?" in url]
    assert errors == []
    assert any("/changes?after=" in url for url in reader.requests)
    # The stream, and the one request that learned it was a 503: no retry before Retry-After.
    assert len(live) == 2, live


def test_a_new_headline_or_key_event_is_shown_without_its_bidi_controls(
    seeded_app: Newsroom, sqlite_url: str, reader: Reader
) -> None:
    rlo, pdf = "\u202e", "\u202c"
    with live_server(sqlite_url) as base:
        page = reader.open(story_url(base))
        seeded_app.change_headline(SEED_SLUG, f"Talks {rlo}deliaf{pdf}", reason="Tricked", editor=EDITOR)
        reader.wait_for_text("#headline", "Talks deliaf")
        seeded_app.post_update(SEED_SLUG, f"Key {rlo}eton{pdf}", "Body.", key_event=True, editor=EDITOR)
        reader.wait_for("#update-6")
        shown = (page.title(), page.inner_text("#key-events-list"), page.inner_text("#announcer"))
        reader.assert_quiet()

    assert all(rlo not in text and pdf not in text for text in shown), shown
    assert shown[0] == "Talks deliaf" and "Key eton" in shown[1]
