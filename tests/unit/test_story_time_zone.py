"""A story's time zone: where readers are shown its times (given/when/then over Story events)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import InvalidInput, NothingToChange
from domain.story import DEFAULT_TIME_ZONE, Story
from spec_kit import EDITOR, T0, event, given

NOW = T0 + timedelta(hours=3)


def test_a_story_shows_its_times_in_utc_until_told_otherwise() -> None:
    outcome = given(event(Story.Opened), event(Story.Published))

    assert outcome.story.time_zone == DEFAULT_TIME_ZONE == "UTC"


def test_changing_the_time_zone_records_it() -> None:
    given(event(Story.Opened), event(Story.Published)).when(
        lambda story, _: story.change_time_zone(" Europe/London ", editor=EDITOR, at=NOW)
    ).then(event(Story.TimeZoneChanged, time_zone="Europe/London"))


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd", "/etc/localtime", "Europe/"])
def test_a_time_zone_not_in_the_database_is_refused(zone: str) -> None:
    given(event(Story.Opened)).when(
        lambda story, _: story.change_time_zone(zone, editor=EDITOR, at=NOW)
    ).then_refused(InvalidInput)


def test_changing_to_the_zone_already_shown_is_refused() -> None:
    given(event(Story.Opened), event(Story.TimeZoneChanged, time_zone="Asia/Tokyo")).when(
        lambda story, _: story.change_time_zone("Asia/Tokyo", editor=EDITOR, at=NOW)
    ).then_refused(NothingToChange)
