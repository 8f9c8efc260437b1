"""The Atom feed, `/stories/SLUG/feed.atom`: parsed by feedparser, as an aggregator would."""

from __future__ import annotations

import feedparser
from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.web.site import Site
from tests.web.conftest import EDITOR, live_story


def test_the_feed_has_an_entry_per_visible_update_newest_first(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=2)
    app.post_update("syria", "Tom & Jerry <b>", "Body with <script>x</script>.", byline="Jo", editor=EDITOR)
    site.refresh()

    answer = client.get("/stories/syria/feed.atom")
    feed = feedparser.parse(answer.content)

    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Syria talks" and feed.feed.subtitle == "Leaders meet"
    assert [e.title for e in feed.entries] == ["Tom & Jerry <b>", "Update 2", "Update 1"]
    assert feed.entries[0].author == "Jo"
    assert feed.entries[0].link.endswith("/stories/syria/updates/3")
    assert "<script>" not in feed.entries[0].content[0].value
    assert "&lt;script&gt;" in feed.entries[0].content[0].value


def test_entry_ids_are_stable_and_updated_moves_on_a_revision_or_correction(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=1)
    app.post_update("syria", "Quote", "> Words.\n>\n> – Someone", editor=EDITOR)
    site.refresh()
    before = {e.title: e for e in feedparser.parse(client.get("/stories/syria/feed.atom").content).entries}

    app.revise_update("syria", 1, body="Body one, revised.", reason="Clarity", editor=EDITOR)
    app.correct_quote("syria", 2, 1, text="Other words.", note="Misquote", editor=EDITOR)
    site.refresh()
    after = {e.title: e for e in feedparser.parse(client.get("/stories/syria/feed.atom").content).entries}

    assert {t: e.id for t, e in before.items()} == {t: e.id for t, e in after.items()}
    for title in ("Update 1", "Quote"):
        assert after[title].published == before[title].published
        assert after[title].updated_parsed > before[title].updated_parsed
        assert before[title].updated == before[title].published


def test_a_retraction_becomes_a_deleted_entry_tombstone(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=2)
    site.refresh()
    retracted_id = feedparser.parse(client.get("/stories/syria/feed.atom").content).entries[1].id
    app.retract_update("syria", 1, reason="Legal", editor=EDITOR)
    site.refresh()

    text = client.get("/stories/syria/feed.atom").text
    feed = feedparser.parse(text)

    assert [e.title for e in feed.entries] == ["Update 2"]
    assert 'xmlns:at="http://purl.org/atompub/tombstones/1.0"' in text
    assert f'<at:deleted-entry ref="{retracted_id}" when="' in text


def test_entries_are_in_time_order_with_the_pinned_update_in_its_place(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=3)
    app.pin_update("syria", 1, editor=EDITOR)
    app.revise_update("syria", 2, body="Body two, revised.", reason="Clarity", editor=EDITOR)
    site.refresh()

    entries = feedparser.parse(client.get("/stories/syria/feed.atom").content).entries

    assert [e.title for e in entries] == ["Update 2", "Update 3", "Update 1"]
    assert [e.updated_parsed for e in entries] == sorted((e.updated_parsed for e in entries), reverse=True)
