"""The page's header after given events: the zone its times are shown in and when its coverage
began and ended, as the meanings of the story's own events set them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from domain.page import Header
from domain.story import Story
from spec_kit import T0, EventSpec, event
from tests.support.pages import page_after

OPENED = event(Story.Opened, at=T0)
PUBLISHED_AT = T0 + timedelta(hours=1)
CLOSED_AT = T0 + timedelta(hours=5)
COVERED = (event(Story.Published, at=PUBLISHED_AT), event(Story.Closed, at=CLOSED_AT))
"""Published, then closed."""


def header_after(*past: EventSpec) -> Header:
    return page_after(OPENED, *past).header


def test_a_new_page_is_shown_in_utc_with_no_coverage_times() -> None:
    header = header_after()

    assert (header.time_zone, header.published_at, header.closed_at) == ("UTC", None, None)


def test_a_time_zone_change_sets_the_zone_the_page_is_shown_in() -> None:
    header = header_after(
        event(Story.TimeZoneChanged, time_zone="Europe/London"),
        event(Story.TimeZoneChanged, time_zone="Asia/Tokyo"),
    )

    assert header.time_zone == "Asia/Tokyo"


def test_publishing_begins_the_coverage_at_the_time_it_was_recorded() -> None:
    header = header_after(event(Story.Published, at=PUBLISHED_AT))

    assert (header.status, header.published_at, header.closed_at) == ("live", PUBLISHED_AT, None)


def test_closing_ends_the_coverage_and_keeps_when_it_began() -> None:
    header = header_after(*COVERED)

    assert (header.status, header.published_at, header.closed_at) == ("closed", PUBLISHED_AT, CLOSED_AT)


def test_reopening_clears_the_coverage_end_and_a_later_close_sets_it_again() -> None:
    reopened = (*COVERED, event(Story.Reopened))
    closed_again = T0 + timedelta(days=1)

    assert header_after(*reopened).closed_at is None
    assert header_after(*reopened).published_at == PUBLISHED_AT
    assert header_after(*reopened, event(Story.Closed, at=closed_again)).closed_at == closed_again


def test_a_time_zone_change_leaves_the_coverage_times_and_status_as_they_were() -> None:
    before = header_after(*COVERED)
    after = header_after(*COVERED, event(Story.TimeZoneChanged, time_zone="Europe/Paris"))

    assert after == replace(before, time_zone="Europe/Paris")
    assert (after.status, after.published_at, after.closed_at) == ("closed", PUBLISHED_AT, CLOSED_AT)
