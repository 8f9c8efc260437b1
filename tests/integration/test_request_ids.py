"""A command repeated under the same request id appends nothing and returns the first result."""

from __future__ import annotations

import pytest

from domain.errors import RequestIdReused
from infrastructure.bootstrap import bootstrap
from tests.integration.test_event_fixtures import FIXTURES, stored


@pytest.fixture
def app(store_url: str):
    newsroom = bootstrap(store_url).app
    newsroom.open_story("syria", "Syria talks", editor="ann")
    yield newsroom
    newsroom.close()


def test_a_repeated_post_appends_nothing_and_returns_the_first_number(app) -> None:
    first = app.post_update("syria", "One", "Body", editor="ann", request_id="req-1")
    app.post_update("syria", "Two", "Body", editor="bob")

    again = app.post_update("syria", "One", "Body", editor="ann", request_id="req-1")

    assert (first, again) == (1, 1)
    assert [u.title for u in app.get_page("syria").updates] == ["Two", "One"]


def test_a_repeated_open_returns_the_first_result_instead_of_a_duplicate_slug_error(app) -> None:
    assert app.open_story("iran", "Iran talks", editor="ann", request_id="open-iran") == 1
    assert app.open_story("iran", "Iran talks", editor="ann", request_id="open-iran") == 1
    assert len(app.get_events("iran")) == 1


def test_a_request_id_reused_for_another_command_is_refused(app) -> None:
    app.post_update("syria", "One", "Body", editor="ann", request_id="req-1")

    with pytest.raises(RequestIdReused) as reused:
        app.publish_story("syria", editor="ann", request_id="req-1")
    assert (reused.value.command, reused.value.slug) == ("post_update", "syria")
    assert app.get_story("syria").status == "draft"


def test_a_request_recorded_as_command_line_words_by_version_1_still_repeats(app) -> None:
    app.recorder.insert_events([stored(FIXTURES / "CommandRequest.Recorded.v1.json")])  # "story open"

    assert app.open_story("fixture-story", "Fixture story", editor="ann", request_id="fixture-open") == 1
    with pytest.raises(RequestIdReused) as reused:
        app.publish_story("fixture-story", editor="ann", request_id="fixture-open")
    assert reused.value.command == "open_story"
    assert app.recorder.max_notification_id() == 2  # syria's Opened and the request: nothing new


def test_a_repeated_revise_after_the_story_moved_on_still_appends_nothing(app) -> None:
    app.post_update("syria", "One", "Body", editor="ann")
    version = app.revise_update("syria", 1, title="Fixed", reason="Typo", editor="ann", request_id="rev")
    app.post_update("syria", "Two", "Body", editor="bob")

    again = app.revise_update(
        "syria", 1, title="Fixed", reason="Typo", editor="ann", expect_version=2, request_id="rev"
    )

    assert again == version == 3
    assert len(app.get_events("syria")) == 4
