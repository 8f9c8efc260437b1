"""The changes feed, `/api/stories/SLUG/changes?after=V`: what readers see change after a version."""

from __future__ import annotations

from dataclasses import fields

from starlette.testclient import TestClient

from domain.application import Newsroom
from domain.page import Header
from infrastructure.bootstrap import Services
from infrastructure.page_json import page_to_dict
from infrastructure.web.site import Site
from tests.web.conftest import EDITOR, live_story

QUOTED = "Said:\n\n> Not by May.\n>\n> – An official"


def every_kind(app: Newsroom) -> None:
    """A story through every kind of change readers see (versions 1-3: open, post, publish)."""
    live_story(app, updates=1)
    app.post_update("syria", "Quote", QUOTED, editor=EDITOR)  # 4
    app.revise_update("syria", 1, title="Update one", reason="Typo", editor=EDITOR)  # 5
    app.correct_quote("syria", 2, 1, text="Not by June.", note="Misquote", editor=EDITOR)  # 6
    app.pin_update("syria", 1, editor=EDITOR)  # 7
    app.pin_update("syria", 2, editor=EDITOR)  # 8 unpin 1, 9 pin 2
    app.mark_key_event("syria", 1, editor=EDITOR)  # 10
    app.change_headline("syria", "Syria talks fail", reason="News", editor=EDITOR)  # 11
    app.change_standfirst("syria", "No deal", editor=EDITOR)  # 12
    app.retract_update("syria", 2, reason="Legal", editor=EDITOR)  # 13 unpin 2, 14 retract
    app.close_story("syria", editor=EDITOR)  # 15
    app.reopen_story("syria", editor=EDITOR)  # 16


def test_each_change_has_its_kind_update_and_item_oldest_first(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    every_kind(app)
    site.refresh()

    answer = client.get("/api/stories/syria/changes?after=0").json()

    assert answer["slug"] == "syria" and answer["version"] == 16 and answer["has_more"] is False
    assert [(c["version"], c["kind"], c["update"]) for c in answer["changes"]] == [
        (2, "posted", 1),
        (4, "posted", 2),
        (5, "revised", 1),
        (6, "quote-corrected", 2),
        (7, "pinned", 1),
        (8, "unpinned", 1),
        (9, "pinned", 2),
        (10, "key-event", 1),
        (11, "headline", None),
        (12, "standfirst", None),
        (13, "unpinned", 2),
        (14, "retracted", 2),
        (15, "closed", None),
        (16, "reopened", None),
    ]
    by_version = {c["version"]: c for c in answer["changes"]}
    assert by_version[5]["item"]["title"] == "Update one" and by_version[5]["item"]["revised_at"]
    assert 'id="update-1"' in by_version[5]["html"] and "Updated" in by_version[5]["html"]
    assert by_version[6]["item"]["corrections"][0]["note"] == "Misquote"
    assert "Corrected at" in by_version[6]["html"] and "Not by June." in by_version[6]["html"]
    assert by_version[9]["item"]["pinned"] is True and by_version[8]["item"]["pinned"] is False
    assert by_version[10]["item"]["key_event"] is True
    header = by_version[11]["item"]
    assert set(header) == {f.name for f in fields(Header)}  # the whole header, by the page JSON's names
    assert (header["headline"], header["standfirst"], header["status"], header["pinned"]) == (
        "Syria talks fail",
        "Leaders meet",
        "live",
        2,
    )
    assert by_version[14]["item"] is None and by_version[14]["html"] is None
    assert by_version[15]["item"]["status"] == "closed"
    assert all(c["at"].endswith("Z") for c in answer["changes"])


def test_each_item_is_the_update_as_the_page_showed_it_at_that_version(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    every_kind(app)
    site.refresh()

    changes = client.get("/api/stories/syria/changes?after=0").json()["changes"]

    for change in changes:
        if change["update"] is None or change["item"] is None:
            continue
        page = app.get_page("syria", change["version"])  # the domain's own fold
        shown = [u for u in page_to_dict(page)["updates"] if u["number"] == change["update"]]
        assert shown == [change["item"]], change["version"]


def test_the_changes_agree_with_the_history_for_every_version(
    app: Newsroom, newsroom: Services, site: Site, client: TestClient
) -> None:
    every_kind(app)
    site.refresh()

    changes = {c["version"]: c for c in client.get("/api/stories/syria/changes?after=0").json()["changes"]}
    history = newsroom.caught_up().history("syria")

    for entry in history:
        if entry.event_type in ("Opened", "Published"):
            assert entry.version not in changes
            continue
        change = changes[entry.version]
        assert change["update"] == (
            entry.update if change["kind"] not in ("headline", "standfirst") else None
        )
        assert change["at"] == entry.at.isoformat().replace("+00:00", "Z")


def test_after_and_limit_page_through_the_changes(app: Newsroom, site: Site, client: TestClient) -> None:
    every_kind(app)
    site.refresh()

    first = client.get("/api/stories/syria/changes?after=4&limit=3").json()
    rest = client.get(f"/api/stories/syria/changes?after={first['version']}").json()

    assert [c["version"] for c in first["changes"]] == [5, 6, 7]
    assert first["version"] == 7 and first["has_more"] is True
    assert [c["version"] for c in rest["changes"]][0] == 8 and rest["has_more"] is False
    assert client.get("/api/stories/syria/changes?after=16").json() == {
        "slug": "syria",
        "version": 16,
        "changes": [],
        "has_more": False,
    }


def test_a_bad_or_future_cursor_is_a_400_with_one_line_of_json(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    site.refresh()

    for query in ("after=5", "after=-1", "after=x", "", "after=1&limit=0", "after=1&limit=99999"):
        answer = client.get(f"/api/stories/syria/changes?{query}")
        assert answer.status_code == 400, query
        assert answer.text.count("\n") == 1 and list(answer.json()) == ["error"]


def test_a_change_not_yet_refreshed_is_not_shown(app: Newsroom, site: Site, client: TestClient) -> None:
    live_story(app)
    site.refresh()
    app.post_update("syria", "Fresh", "Fresh body.", editor=EDITOR)

    before = client.get("/api/stories/syria/changes?after=4").json()
    site.refresh()
    after = client.get("/api/stories/syria/changes?after=4").json()

    assert before["changes"] == [] and before["version"] == 4
    assert [c["kind"] for c in after["changes"]] == ["posted"] and after["version"] == 5
