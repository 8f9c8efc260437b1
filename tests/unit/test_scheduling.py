"""Scheduled posts and story publication: the rules, given the story's past as events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.errors import (
    InvalidInput,
    NothingToChange,
    ScheduledInThePast,
    ScheduledPostNotFound,
    ScheduledPostNotPending,
    TimeWithoutZone,
    WrongStatus,
)
from domain.markdown_body import parse_body
from domain.schedule import SCHEDULER, ScheduledPost
from domain.story import Story
from spec_kit import EDITOR, T0, event, given

NOW = T0 + timedelta(hours=1)
NOON = datetime(2013, 5, 10, 12, 0, tzinfo=UTC)
BODY = parse_body("Some news.")


def post(number: int = 1, publish_at: datetime = NOON) -> ScheduledPost:
    return ScheduledPost(number, "An update", None, BODY, False, publish_at, EDITOR)


def test_scheduling_a_post_records_it_with_its_time_in_utc() -> None:
    paris = timezone(timedelta(hours=2))
    given(event(Story.Opened), event(Story.Published)).when(
        lambda story, _: story.schedule_update(
            "An update", BODY, publish_at=NOON.astimezone(paris), editor=EDITOR, at=NOW
        )
    ).then(event(Story.UpdateScheduled, scheduled=1, publish_at=NOON, at=NOW))


def test_a_time_without_a_zone_is_refused() -> None:
    given(event(Story.Opened)).when(
        lambda story, _: story.schedule_update(
            "T", BODY, publish_at=NOON.replace(tzinfo=None), editor=EDITOR, at=NOW
        )
    ).then_refused(TimeWithoutZone)


def test_a_time_without_a_zone_is_an_invalid_input() -> None:
    assert issubclass(TimeWithoutZone, InvalidInput)


@pytest.mark.parametrize("moment", [NOW, NOW - timedelta(seconds=1)])
def test_a_time_not_still_to_come_is_refused(moment: datetime) -> None:
    refused = (
        given(event(Story.Opened))
        .when(lambda story, _: story.schedule_update("T", BODY, publish_at=moment, editor=EDITOR, at=NOW))
        .then_refused(ScheduledInThePast)
    )
    assert (refused.moment, refused.now) == (moment, NOW)


def test_a_closed_story_takes_no_scheduled_posts() -> None:
    given(event(Story.Opened), event(Story.Published), event(Story.Closed)).when(
        lambda story, _: story.schedule_update("T", BODY, publish_at=NOON, editor=EDITOR, at=NOW)
    ).then_refused(WrongStatus)


def test_a_scheduled_post_is_moved_and_unscheduled() -> None:
    past = given(event(Story.Opened), event(Story.UpdateScheduled, publish_at=NOON))
    later = NOON + timedelta(hours=1)
    past.when(lambda story, _: story.reschedule_update(1, later, editor=EDITOR, at=NOW)).then(
        event(Story.UpdateRescheduled, scheduled=1, publish_at=later)
    )
    past.when(lambda story, _: story.reschedule_update(1, None, editor=EDITOR, at=NOW)).then(
        event(Story.UpdateRescheduled, scheduled=1, publish_at=None)
    )


def test_moving_a_post_to_the_past_or_to_its_own_time_is_refused() -> None:
    past = given(event(Story.Opened), event(Story.UpdateScheduled, publish_at=NOON))
    past.when(lambda story, _: story.reschedule_update(1, T0, editor=EDITOR, at=NOW)).then_refused(
        ScheduledInThePast
    )
    past.when(lambda story, _: story.reschedule_update(1, NOON, editor=EDITOR, at=NOW)).then_refused(
        NothingToChange
    )


def test_an_unscheduled_or_unknown_post_cannot_be_rescheduled() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateScheduled, publish_at=NOON),
        event(Story.UpdateRescheduled, scheduled=1, publish_at=None),
    )
    past.when(lambda story, _: story.reschedule_update(1, None, editor=EDITOR, at=NOW)).then_refused(
        ScheduledPostNotPending
    )
    past.when(lambda story, _: story.reschedule_update(2, None, editor=EDITOR, at=NOW)).then_refused(
        ScheduledPostNotFound
    )


def test_a_due_post_is_posted_by_the_publisher_as_the_next_update() -> None:
    past = given(
        event(Story.Opened), event(Story.UpdatePosted), event(Story.UpdateScheduled, publish_at=NOON)
    )
    assert past.story.due_posts(NOON - timedelta(seconds=1)) == []
    assert past.story.due_posts(NOON) == [1]
    past.when(lambda story, _: story.post_on_schedule(post(), at=NOON)).then(
        event(Story.UpdatePosted, scheduled=1, scheduled_for=NOON, number=2, editor=SCHEDULER, at=NOON)
    )


def test_a_post_published_well_after_its_time_is_marked_late() -> None:
    late = NOON + timedelta(hours=3)
    given(event(Story.Opened), event(Story.UpdateScheduled, publish_at=NOON)).when(
        lambda story, _: story.post_on_schedule(post(), at=late)
    ).then(event(Story.UpdatePosted, scheduled=1, scheduled_for=NOON, late=True, at=late))


def test_the_publisher_honours_the_latest_time_and_an_unscheduling() -> None:
    later = NOON + timedelta(hours=1)
    moved = given(
        event(Story.Opened),
        event(Story.UpdateScheduled, publish_at=NOON),
        event(Story.UpdateRescheduled, scheduled=1, publish_at=later),
    )
    assert moved.story.due_posts(NOON) == []
    assert moved.story.due_posts(later) == [1]
    cancelled = given(
        event(Story.Opened),
        event(Story.UpdateScheduled, publish_at=NOON),
        event(Story.UpdateRescheduled, scheduled=1, publish_at=None),
    )
    assert cancelled.story.due_posts(later) == []
    cancelled.when(lambda story, _: story.post_on_schedule(post(), at=later)).then_refused(
        ScheduledPostNotPending
    )


def test_a_published_post_is_due_no_more() -> None:
    past = given(
        event(Story.Opened),
        event(Story.UpdateScheduled, publish_at=NOON),
        event(Story.UpdatePosted, scheduled=1, scheduled_for=NOON, at=NOON),
    )
    assert past.story.due_posts(NOON + timedelta(days=1)) == []
    past.when(lambda story, _: story.post_on_schedule(post(), at=NOON)).then_refused(ScheduledPostNotPending)


def test_a_draft_is_scheduled_for_publication_and_the_schedule_cancelled() -> None:
    given(event(Story.Opened)).when(
        lambda story, _: story.schedule_publication(NOON, editor=EDITOR, at=NOW)
    ).then(event(Story.PublicationScheduled, publish_at=NOON))
    given(event(Story.Opened), event(Story.PublicationScheduled, publish_at=NOON)).when(
        lambda story, _: story.schedule_publication(None, editor=EDITOR, at=NOW)
    ).then(event(Story.PublicationScheduled, publish_at=None))


def test_only_a_draft_is_scheduled_for_publication() -> None:
    given(event(Story.Opened), event(Story.Published)).when(
        lambda story, _: story.schedule_publication(NOON, editor=EDITOR, at=NOW)
    ).then_refused(WrongStatus)


def test_cancelling_a_publication_that_is_not_scheduled_is_refused() -> None:
    given(event(Story.Opened)).when(
        lambda story, _: story.schedule_publication(None, editor=EDITOR, at=NOW)
    ).then_refused(NothingToChange)


def test_a_due_draft_is_published_naming_its_time() -> None:
    past = given(event(Story.Opened), event(Story.PublicationScheduled, publish_at=NOON))
    assert not past.story.publication_due(NOON - timedelta(seconds=1))
    past.when(lambda story, _: story.publish_on_schedule(at=NOON)).then(
        event(Story.Published, scheduled_for=NOON, editor=SCHEDULER, at=NOON)
    )


def test_a_cancelled_or_already_published_draft_is_not_due() -> None:
    cancelled = given(
        event(Story.Opened),
        event(Story.PublicationScheduled, publish_at=NOON),
        event(Story.PublicationScheduled, publish_at=None),
    )
    assert not cancelled.story.publication_due(NOON)
    by_hand = given(
        event(Story.Opened), event(Story.PublicationScheduled, publish_at=NOON), event(Story.Published)
    )
    assert not by_hand.story.publication_due(NOON)
    by_hand.when(lambda story, _: story.publish_on_schedule(at=NOON)).then_refused(WrongStatus)


def test_a_closed_story_publishes_no_due_posts() -> None:
    past = given(
        event(Story.Opened),
        event(Story.Published),
        event(Story.UpdateScheduled, publish_at=NOON),
        event(Story.Closed),
    )
    assert past.story.due_posts(NOON) == []
