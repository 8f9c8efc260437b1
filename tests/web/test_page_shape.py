"""The readers' web renders the typed page: the CLI's update partial, the zone and coverage
times of the page's header, and the change kinds the events' meanings name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from cli.reading import render_page
from domain.application import Newsroom
from domain.meanings import MEANINGS_BY_NAME
from infrastructure.bootstrap import Services
from infrastructure.rendering.times import milliseconds_time
from infrastructure.web import answers
from infrastructure.web.site import Site
from tests.web.conftest import EDITOR, live_story


def _json_ld(text: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def _times_of(newsroom: Services, slug: str, event_type: str) -> list[str]:
    """When the story's events of this type were recorded, as the page's JSON-LD writes times."""
    return [milliseconds_time(e.at) for e in newsroom.queries.history(slug) if e.event_type == event_type]


def test_a_story_page_shows_the_zone_and_coverage_times_of_its_version(
    newsroom: Services, app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)  # opened, two posts, published: version 4
    app.change_time_zone("syria", "Europe/London", editor=EDITOR)
    app.close_story("syria", editor=EDITOR)
    app.change_time_zone("syria", "Asia/Tokyo", editor=EDITOR)
    site.refresh()

    closed = client.get("/stories/syria?version=6").text
    now = client.get("/stories/syria").text

    [published], [ended] = _times_of(newsroom, "syria", "Published"), _times_of(newsroom, "syria", "Closed")
    ld = _json_ld(closed)
    assert "All times Europe/London" in closed and 'data-zone="Europe/London"' in closed
    assert (ld["coverageStartTime"], ld["coverageEndTime"]) == (published, ended)
    assert "All times Asia/Tokyo" in now


def test_a_reopened_story_has_no_coverage_end_and_keeps_its_first_publication(
    newsroom: Services, app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    app.close_story("syria", editor=EDITOR)
    app.reopen_story("syria", editor=EDITOR)
    site.refresh()

    ld = _json_ld(client.get("/stories/syria").text)

    [published] = _times_of(newsroom, "syria", "Published")
    assert ld["coverageStartTime"] == published and "coverageEndTime" not in ld
    assert "All times UTC" in client.get("/stories/syria").text


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
