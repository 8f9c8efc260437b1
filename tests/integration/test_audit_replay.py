"""Replay on real SQLite and PostgreSQL stores: stories folded from their events against the read models."""

from __future__ import annotations

import pytest

from domain.errors import StoryNotFound
from domain.story import Story
from infrastructure.audit.replay import HISTORY, LIVE_PAGE, STORY_LIST, Replay, replay_stories
from infrastructure.bootstrap import Services
from tests.integration.tampering import RawEvents

SLUG = "syria-talks"


@pytest.fixture
def stories(newsroom: Services) -> list[str]:
    """Two stories with pins, key events, corrections, revisions and a retraction, caught up."""
    newsroom.app.open_story(SLUG, "Syria talks", "Leaders meet", editor="ann")
    newsroom.app.post_update(SLUG, "First", "> Hopeful.\n>\n> – PM", key_event=True, editor="ann")
    newsroom.app.post_update(SLUG, "Second", "More news.", pin=True, editor="bob")
    newsroom.app.publish_story(SLUG, editor="ann")
    newsroom.app.correct_quote(SLUG, 1, 1, text="Very hopeful.", note="Misquote", editor="ann")
    newsroom.app.revise_update(SLUG, 2, title="Second, revised", reason="Typo", editor="bob")
    newsroom.app.post_update(SLUG, "Third", "Later.", editor="cat")
    newsroom.app.retract_update(SLUG, 3, reason="Legal advice", editor="ann")
    newsroom.app.open_story("other", "Another story", editor="dan")
    newsroom.runner.catch_up()
    return [SLUG, "other"]


def differences(replay: Replay) -> list[tuple[str, str, str]]:
    return [(d.slug, d.read_model, d.where) for d in replay.differences]


def test_a_replay_of_an_untouched_store_matches_the_read_models(
    newsroom: Services, stories: list[str]
) -> None:
    replay = replay_stories(newsroom.app, newsroom.queries)

    assert replay.matches
    assert (replay.stories, replay.events) == (2, 10)


def test_every_changed_read_model_row_is_reported(
    newsroom: Services, stories: list[str], raw: RawEvents
) -> None:
    story_id = raw.uuid(Story.id_for(SLUG))
    pages, updates, history = (raw.qualified(t) for t in ("page_stories", "page_updates", "history_events"))
    raw.run(
        f"UPDATE {pages} SET header = REPLACE(header, ?, ?) WHERE story_id = ?",
        '"Syria talks"', '"Rewritten"', story_id,
    )  # fmt: skip
    raw.run(
        f"UPDATE {updates} SET page = REPLACE(page, ?, ?) "
        "WHERE story_id = ? AND number = 1 AND to_version IS NULL",
        '"title":"First"', '"title":"X"', story_id,
    )  # fmt: skip
    raw.run(f"UPDATE {history} SET event_type = ? WHERE story_id = ? AND version = 8", "X", story_id)
    raw.run(f"DELETE FROM {history} WHERE story_id = ? AND version = 4", story_id)

    replay = replay_stories(newsroom.app, newsroom.queries)

    assert differences(replay) == [
        (SLUG, LIVE_PAGE, "headline"),
        (SLUG, LIVE_PAGE, "key_events"),  # update 1 is a key event: the list shows its title
        (SLUG, LIVE_PAGE, "update 1 title"),
        (SLUG, LIVE_PAGE, "update 1 from version 6"),
        (SLUG, HISTORY, "version 4"),
        (SLUG, HISTORY, "version 8 event_type"),
        (SLUG, STORY_LIST, "headline"),
    ]
    headline = replay.differences[0]
    assert (headline.replayed, headline.found) == ("Syria talks", "Rewritten")


def test_a_changed_past_version_of_the_page_is_reported(
    newsroom: Services, stories: list[str], raw: RawEvents
) -> None:
    story_id = raw.uuid(Story.id_for(SLUG))
    updates, headers = (raw.qualified(t) for t in ("page_updates", "page_headers"))
    raw.run(
        f"UPDATE {updates} SET page = REPLACE(page, ?, ?) "
        "WHERE story_id = ? AND number = 2 AND from_version = 3",
        '"title":"Second"', '"title":"Rewritten"', story_id,
    )  # fmt: skip
    raw.run(
        f"UPDATE {headers} SET header = REPLACE(header, ?, ?) WHERE story_id = ? AND from_version = 1",
        '"status":"draft"', '"status":"live"', story_id,
    )  # fmt: skip
    raw.run(
        f"UPDATE {updates} SET at_microseconds = at_microseconds + 1 WHERE story_id = ? AND from_version = 2",
        story_id,
    )

    replay = replay_stories(newsroom.app, newsroom.queries)

    assert differences(replay) == [
        (SLUG, LIVE_PAGE, "version 2 time"),
        (SLUG, LIVE_PAGE, "header from version 1"),
        (SLUG, LIVE_PAGE, "update 2 from version 3"),
    ]
    time = replay.differences[0]
    assert (time.replayed, time.found) == ("2013-05-10T09:01:00Z", "2013-05-10T09:01:00.000001Z")


def test_a_story_the_read_models_lost_is_reported(
    newsroom: Services, stories: list[str], raw: RawEvents
) -> None:
    story_id = raw.uuid(Story.id_for("other"))
    raw.run(f"DELETE FROM {raw.qualified('page_stories')} WHERE story_id = ?", story_id)

    assert differences(replay_stories(newsroom.app, newsroom.queries)) == [
        ("other", LIVE_PAGE, "story"),
        ("other", STORY_LIST, "story"),
    ]


def test_events_the_read_models_have_not_reached_yet_are_no_difference(
    newsroom: Services, stories: list[str]
) -> None:
    newsroom.app.post_update(SLUG, "Fourth", "Not projected yet.", editor="ann")

    replay = replay_stories(newsroom.app, newsroom.queries)

    assert replay.matches
    assert replay.events == 10


def test_a_replay_of_one_story_compares_only_that_story(
    newsroom: Services, stories: list[str], raw: RawEvents
) -> None:
    story_id = raw.uuid(Story.id_for("other"))
    statement = (
        f"UPDATE {raw.qualified('page_stories')} SET header = REPLACE(header, ?, ?) WHERE story_id = ?"
    )
    raw.run(statement, '"status":"draft"', '"status":"closed"', story_id)

    assert replay_stories(newsroom.app, newsroom.queries, SLUG).matches
    assert differences(replay_stories(newsroom.app, newsroom.queries, "other")) == [
        ("other", LIVE_PAGE, "status")
    ]


def test_a_replay_of_an_unknown_story_is_refused(newsroom: Services, stories: list[str]) -> None:
    with pytest.raises(StoryNotFound):
        replay_stories(newsroom.app, newsroom.queries, "no-such-story")
