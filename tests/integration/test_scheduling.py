"""Scheduled posts and publication on real stores: nothing scheduled is visible early (now, at
any past version or time, after a rebuild), the publisher publishes what is due once, however
many publishers run, and honours a schedule moved or cancelled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.application import Newsroom
from domain.schedule import SCHEDULER
from domain.story import Story
from infrastructure.bootstrap import Services, bootstrap

SLUG = "vote"
NOON = datetime(2013, 5, 10, 12, 0, tzinfo=UTC)
JUST_BEFORE = NOON - timedelta(seconds=1)


def live_with_a_scheduled_post(app: Newsroom) -> None:
    app.open_story(SLUG, "The vote", editor="ann")
    app.publish_story(SLUG, editor="ann")
    app.post_update(SLUG, "Polls open", "Queues.", editor="ann")
    app.schedule_update(SLUG, "Result", "It passed.", publish_at=NOON, editor="ann")


def titles(newsroom: Services, version: int | None = None) -> list[str]:
    queries = newsroom.caught_up()
    page = queries.page(SLUG) if version is None else queries.page_at(SLUG, version)
    return [update.title for update in page.updates]


def assert_never_shown_before(newsroom: Services, published_version: int) -> None:
    for version in range(1, published_version):
        assert "Result" not in titles(newsroom, version)
    queries = newsroom.caught_up()
    assert [u.title for u in queries.page_at(SLUG, queries.version_at(SLUG, JUST_BEFORE)).updates] == [
        "Polls open"
    ]
    assert "Result" not in [e.label for e in queries.history(SLUG) if e.version < published_version][-1:]


def test_a_scheduled_post_is_shown_nowhere_before_its_time(newsroom: Services) -> None:
    live_with_a_scheduled_post(newsroom.app)

    assert newsroom.publisher.publish_due(JUST_BEFORE) == []
    assert titles(newsroom) == ["Polls open"]
    assert all(titles(newsroom, v) in ([], ["Polls open"]) for v in range(1, 5))
    assert newsroom.publisher.schedule()[0].publish_at == NOON


def test_the_publisher_posts_it_at_its_time_and_the_past_stays_as_it_was(newsroom: Services) -> None:
    live_with_a_scheduled_post(newsroom.app)

    [publication] = newsroom.publisher.publish_due(NOON)

    assert (publication.published_at, publication.late) == (NOON, False)
    assert titles(newsroom) == ["Result", "Polls open"]
    posted = newsroom.app.get_events(SLUG)[-1]
    assert isinstance(posted, Story.UpdatePosted)
    assert (posted.editor, posted.timestamp, posted.scheduled, posted.scheduled_for) == (
        SCHEDULER,
        NOON,
        1,
        NOON,
    )
    assert_never_shown_before(newsroom, posted.originator_version)
    assert newsroom.publisher.schedule() == []


def test_after_a_rebuild_nothing_is_shown_early_either(newsroom: Services) -> None:
    live_with_a_scheduled_post(newsroom.app)
    newsroom.publisher.publish_due(NOON)
    version = newsroom.app.get_story(SLUG).version

    newsroom.runner.rebuild()

    assert titles(newsroom) == ["Result", "Polls open"]
    assert_never_shown_before(newsroom, version)


def test_a_scheduled_publication_leaves_the_story_a_draft_until_its_time(newsroom: Services) -> None:
    app = newsroom.app
    app.open_story(SLUG, "The vote", editor="ann")
    app.post_update(SLUG, "Ready", "Words.", editor="ann")
    app.schedule_publication(SLUG, publish_at=NOON, editor="ann")

    newsroom.publisher.publish_due(JUST_BEFORE)
    assert [s.status for s in newsroom.caught_up().stories()] == ["draft"]

    newsroom.publisher.publish_due(NOON + timedelta(hours=2))
    assert [s.status for s in newsroom.caught_up().stories()] == ["live"]
    published = app.get_events(SLUG)[-1]
    assert isinstance(published, Story.Published)
    assert (published.scheduled_for, published.late, published.timestamp) == (
        NOON,
        True,
        NOON + timedelta(hours=2),
    )
    before = newsroom.caught_up().version_at(SLUG, NOON + timedelta(hours=1))
    assert newsroom.caught_up().page_at(SLUG, before).header.status == "draft"


def test_a_moved_or_cancelled_post_is_published_as_last_scheduled(newsroom: Services) -> None:
    app = newsroom.app
    live_with_a_scheduled_post(app)
    app.schedule_update(SLUG, "Never", "Gone.", publish_at=NOON, editor="ann")
    app.unschedule_update(SLUG, 2, editor="ann")
    app.reschedule_update(SLUG, 1, publish_at=NOON + timedelta(hours=1), editor="ann")

    assert newsroom.publisher.publish_due(NOON) == []
    assert [
        p.due.post.title for p in newsroom.publisher.publish_due(NOON + timedelta(hours=1)) if p.due.post
    ] == ["Result"]
    assert titles(newsroom) == ["Result", "Polls open"]


def test_two_publishers_publish_each_item_once(newsroom: Services, store_url: str) -> None:
    live_with_a_scheduled_post(newsroom.app)
    other = bootstrap(store_url, clock=newsroom.clock)
    try:
        found = other.app.get_story(SLUG)  # the second publisher finds it due, then the first writes
        assert newsroom.publisher.publish_due(NOON) != []
        other.app.get_story = lambda slug, version=None: found  # type: ignore[method-assign]

        assert other.publisher.publish_due(NOON) == []
    finally:
        other.close()
    posts = [e for e in newsroom.app.get_events(SLUG) if isinstance(e, Story.UpdatePosted)]
    assert [p.title for p in posts] == ["Polls open", "Result"]


def test_a_follower_publishes_what_is_due_as_it_follows(newsroom: Services) -> None:
    live_with_a_scheduled_post(newsroom.app)
    import threading

    stop = threading.Event()

    def publish_then_stop() -> object:
        published = newsroom.publisher.publish_due(NOON)
        stop.set()
        return published

    newsroom.runner.follow(stop, poll_seconds=0.05, every_round=publish_then_stop)

    assert titles(newsroom) == ["Result", "Polls open"]
