"""The application on real SQLite and PostgreSQL stores."""

from __future__ import annotations

import pytest

from domain.errors import StoryAlreadyExists, StoryNotFound, VersionConflict
from infrastructure.bootstrap import bootstrap
from infrastructure.seed_loader import DEFAULT_SEEDS, load_seed
from tests.conftest import StepClock


@pytest.fixture
def app(store_url: str, clock: StepClock):
    newsroom = bootstrap(store_url, clock=clock).app
    yield newsroom
    newsroom.close()


def test_a_story_reads_back_from_a_fresh_application(app, store_url: str) -> None:
    app.open_story("syria", "Syria talks", editor="ann")
    app.post_update("syria", "First", "> Hopeful.\n>\n> – PM", editor="ann", key_event=True)

    reopened = bootstrap(store_url).app
    try:
        page = reopened.get_page("syria")
    finally:
        reopened.close()
    assert page == app.get_page("syria")
    assert page.updates[0].blocks[0].attribution == "PM"
    assert page.key_events[0].number == 1


def test_opening_a_slug_twice_is_refused_and_appends_nothing(app) -> None:
    app.open_story("syria", "Syria talks", editor="ann")

    with pytest.raises(StoryAlreadyExists):
        app.open_story("syria", "Another", editor="bob")
    assert len(app.get_events("syria")) == 1


def test_an_unknown_story_is_reported_by_slug(app) -> None:
    with pytest.raises(StoryNotFound, match="no-such-story"):
        app.get_page("no-such-story")


def test_a_revision_against_an_old_version_is_refused_naming_both(app) -> None:
    app.open_story("syria", "Syria talks", editor="ann")
    app.post_update("syria", "First", "Body", editor="ann")
    app.post_update("syria", "Second", "Body", editor="bob")

    with pytest.raises(VersionConflict, match="version 3, not the version 2"):
        app.revise_update("syria", 1, title="Fixed", reason="Typo", editor="ann", expect_version=2)
    assert len(app.get_events("syria")) == 3


def test_a_post_that_loses_a_race_is_retried_on_a_fresh_read(app, store_url: str) -> None:
    app.open_story("syria", "Syria talks", editor="ann")
    rival = bootstrap(store_url).app
    stale = app.get_story("syria")
    original_get_story = app.get_story
    calls = []

    def get_story_then_rival_posts(slug: str, version: int | None = None):
        calls.append(slug)
        if len(calls) == 1:
            rival.post_update("syria", "Rival", "Body", editor="bob")
            return stale
        return original_get_story(slug, version)

    app.get_story = get_story_then_rival_posts
    try:
        number = app.post_update("syria", "Mine", "Body", editor="ann")
    finally:
        rival.close()
    assert number == 2
    assert [u.title for u in app.get_page("syria").updates] == ["Mine", "Rival"]


def test_an_old_version_of_a_story_loads_past_snapshots(app) -> None:
    app.open_story("syria", "Syria talks", editor="ann")
    for n in range(450):
        app.post_update("syria", f"Update {n + 1}", "Body", editor="ann")

    assert app.get_story("syria").update_count == 450
    assert app.get_story("syria", version=101).update_count == 100


def test_seeding_twice_appends_nothing(app) -> None:
    for file in DEFAULT_SEEDS.glob("*.toml"):
        load_seed(app, file)
    before = app.recorder.max_notification_id()

    for file in DEFAULT_SEEDS.glob("*.toml"):
        result = load_seed(app, file)
        assert (result.opened, result.updates_posted, result.published) == (False, 0, False)
    assert app.recorder.max_notification_id() == before
