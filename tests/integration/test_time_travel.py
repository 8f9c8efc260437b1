"""Time travel from the live-page read model on real SQLite and PostgreSQL stores: the page at every
version, and the version at any time, exactly as the fold of the story's events gives them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from itertools import groupby

import pytest

from domain.errors import StoryNotFound
from domain.page import Header
from domain.story import Story
from infrastructure.bootstrap import Services
from infrastructure.page_json import page_to_dict
from infrastructure.projections.page_reading import VersionNotFound
from infrastructure.rendering.html_page import render_page_html
from infrastructure.rendering.json_views import render_page_json
from infrastructure.rendering.text_page import render_page_text
from infrastructure.takedown import take_down_earlier_words, take_down_update
from tests.integration.histories import random_history, story_slugs
from tests.support.every_event import NOTE, ORDER, post_one_to_take_down, record_every_event

SLUG = "syria-talks"


@pytest.fixture
def every_change(newsroom: Services) -> str:
    """A story with every kind of event (`tests/support/every_event.py`), one update and the words
    of a submission and a scheduled post taken down at the end, its read models caught up."""
    record_every_event(newsroom.app, SLUG)
    take_down_update(
        newsroom, SLUG, post_one_to_take_down(newsroom.app, SLUG), order=ORDER, note=NOTE, editor="ann"
    )
    for kind, number in (("submission", 3), ("scheduled", 2)):  # the withdrawn one, the unscheduled one
        take_down_earlier_words(newsroom, SLUG, kind, number, order=ORDER, note=NOTE, editor="ann")
    newsroom.runner.catch_up()
    return SLUG


def test_the_story_has_every_kind_of_event(newsroom: Services, every_change: str) -> None:
    kinds = {type(e) for e in newsroom.app.get_events(every_change)}

    assert kinds == set(Story.EVENT_CLASSES)


def test_the_page_at_every_version_equals_the_fold_of_the_events_up_to_it(
    newsroom: Services, every_change: str
) -> None:
    last = len(newsroom.app.get_events(every_change))

    for version in range(1, last + 1):
        assert newsroom.queries.page_at(every_change, version) == newsroom.app.get_page(
            every_change, version
        ), version


def test_the_zone_and_coverage_times_at_every_version_are_the_folds_as_the_story_changed_them(
    newsroom: Services, every_change: str
) -> None:
    events = newsroom.app.get_events(every_change)

    def told(header: Header) -> tuple[str, datetime | None, datetime | None]:
        return header.time_zone, header.published_at, header.closed_at

    stored = [told(newsroom.queries.page_at(every_change, e.originator_version).header) for e in events]
    folded = [told(newsroom.app.get_page(every_change, e.originator_version).header) for e in events]

    [published] = [e.timestamp for e in events if isinstance(e, Story.Published)]
    [closed] = [e.timestamp for e in events if isinstance(e, Story.Closed)]
    assert stored == folded
    assert [value for value, _ in groupby(stored)] == [
        ("UTC", None, None),  # opened
        ("Europe/London", None, None),  # its zone set while a draft
        ("Europe/London", published, None),
        ("Europe/London", published, closed),
        ("Europe/London", published, None),  # reopened
    ]


def test_the_page_at_the_last_version_is_the_page_now(newsroom: Services, every_change: str) -> None:
    last = len(newsroom.app.get_events(every_change))

    assert newsroom.queries.page_at(every_change, last) == newsroom.queries.page(every_change)


def test_a_past_page_renders_exactly_as_the_fold_does_in_every_format(
    newsroom: Services, every_change: str
) -> None:
    for version in range(1, len(newsroom.app.get_events(every_change)) + 1):
        stored = newsroom.queries.page_at(every_change, version)
        folded = newsroom.app.get_page(every_change, version)

        assert (
            render_page_json(stored) == json.dumps(page_to_dict(folded), ensure_ascii=False, indent=2) + "\n"
        )
        assert render_page_text(stored) == render_page_text(folded)
        assert render_page_html(stored) == render_page_html(folded)


def test_the_version_at_any_time_is_the_last_event_recorded_by_then(
    newsroom: Services, every_change: str
) -> None:
    events = newsroom.app.get_events(every_change)
    for event in events:
        for moment in (event.timestamp, event.timestamp + timedelta(seconds=30)):
            last = max(e.originator_version for e in events if e.timestamp <= moment)
            assert newsroom.queries.version_at(every_change, moment) == last


def test_a_time_before_the_story_and_a_version_beyond_it_are_refused(
    newsroom: Services, every_change: str
) -> None:
    first = newsroom.app.get_events(every_change)[0].timestamp
    last = len(newsroom.app.get_events(every_change))

    with pytest.raises(StoryNotFound):
        newsroom.queries.version_at(every_change, first - timedelta(seconds=1))
    with pytest.raises(VersionNotFound) as beyond:
        newsroom.queries.page_at(every_change, last + 1)
    with pytest.raises(StoryNotFound):
        newsroom.queries.page_at("no-such-story", 1)
    assert beyond.value.last == last


def test_random_histories_read_back_at_every_version_as_folded(newsroom: Services) -> None:
    random_history(newsroom.app, 240, seed=6, stories=3)
    newsroom.runner.batch_size = 7  # many batches: rows ended in a later batch than they began
    newsroom.runner.catch_up()

    for slug in story_slugs(newsroom.app):
        for version in range(1, len(newsroom.app.get_events(slug)) + 1):
            assert newsroom.queries.page_at(slug, version) == newsroom.app.get_page(slug, version)
