"""The readers' web renders the typed page: the CLI's update partial, the zone and coverage
times its events told, and the change kinds the events' meanings name."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from cli.reading import render_page
from domain.application import Newsroom
from domain.meanings import MEANINGS_BY_NAME
from domain.page import Header, Page, Update
from infrastructure.bootstrap import Services
from infrastructure.web import answers
from infrastructure.web.reading import ReaderPage, StoryEvent
from infrastructure.web.site import Site
from tests.web.conftest import EDITOR, live_story

AT = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)


def _page(version: int, status: str = "live") -> Page:
    update = Update(1, "Talks begin", None, (), AT)
    return Page(Header("syria", "Syria talks", None, status, None), version, AT, [update])


def _event(version: int, minute: int, after: dict[str, object]) -> StoryEvent:
    return StoryEvent(version, AT.replace(minute=minute), "AnyEvent", None, after)


def test_a_reader_page_takes_its_zone_and_coverage_times_from_what_its_events_told() -> None:
    events = [
        _event(2, 1, {"status": "live"}),
        _event(3, 2, {"time_zone": "Europe/London"}),
        _event(4, 3, {"status": "closed"}),
        _event(5, 4, {"time_zone": "Asia/Tokyo"}),
    ]

    shown = ReaderPage.of(_page(4, "closed"), events)

    assert (shown.zone, shown.published_at, shown.closed_at) == (
        "Europe/London",
        AT.replace(minute=1),
        AT.replace(minute=3),
    )


def test_a_reopened_story_has_no_coverage_end_and_keeps_its_first_publication() -> None:
    events = [
        _event(2, 1, {"status": "live"}),
        _event(3, 2, {"status": "closed"}),
        _event(4, 3, {"status": "live"}),
    ]

    shown = ReaderPage.of(_page(4), events)

    assert (shown.zone, shown.published_at, shown.closed_at) == ("UTC", AT.replace(minute=1), None)


def test_the_story_page_names_every_change_kind_the_events_meanings_give(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    site.refresh()

    page = client.get("/stories/syria").text

    kinds = re.search(r'data-kinds="([^"]*)"', page)
    expected = {m.reader_change for m in MEANINGS_BY_NAME.values() if m.reader_change}
    assert kinds is not None and set(kinds.group(1).split()) == expected


def test_an_update_reads_the_same_on_the_web_as_in_the_cli_html_page(
    newsroom: Services, app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    app.mark_key_event("syria", 2, editor=EDITOR)
    site.refresh()

    web = client.get("/stories/syria").text
    cli = render_page(newsroom.caught_up().page("syria"), "html")

    words = re.compile(r"<h3>.*?</article>", re.S)
    assert words.findall(web) == words.findall(cli) and len(words.findall(web)) == 2


def test_a_changed_update_partial_is_a_new_release_for_revalidation(monkeypatch: pytest.MonkeyPatch) -> None:
    before = answers.build_token()
    read_bytes = Path.read_bytes

    def edited(path: Path) -> bytes:
        text = read_bytes(path)
        return text + b"<!-- edited -->" if path.match("rendering/templates/update.html.j2") else text

    monkeypatch.setattr(Path, "read_bytes", edited)

    assert answers.build_token() != before
