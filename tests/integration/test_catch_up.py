"""Catching up reads only the story events, yet tracks every notification id, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eventsourcing.domain import Aggregate
from sqlalchemy import Column, Integer, MetaData, Table

from domain.story import STORY_TOPICS
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.projections.database import schema_of
from infrastructure.projections.notification_log import select_notifications
from tests.conftest import StepClock


@pytest.fixture
def newsroom(store_url: str, clock: StepClock) -> Iterator[Services]:
    newsroom = bootstrap(store_url, clock=clock)
    yield newsroom
    newsroom.close()


def positions(newsroom: Services) -> list[int]:
    return [s.position for s in newsroom.runner.status()]


@pytest.mark.parametrize("batch_size", [1, 2, 3, 2000])
def test_small_batches_among_other_aggregates_events_apply_every_story_event_once(
    newsroom: Services, batch_size: int
) -> None:
    newsroom.app.open_story("syria", "Syria talks", editor="ann", request_id="open")
    for n in range(1, 6):
        newsroom.app.post_update("syria", f"Update {n}", "Body.", editor="ann", request_id=f"post-{n}")
    newsroom.runner.batch_size = batch_size
    last = newsroom.app.recorder.max_notification_id()

    moved = newsroom.runner.catch_up()

    assert moved == last
    assert positions(newsroom) == [last, last]
    assert [e.version for e in newsroom.queries.history("syria")] == [1, 2, 3, 4, 5, 6]
    assert [u.title for u in newsroom.queries.page("syria").updates][0] == "Update 5"


class Unrelated(Aggregate):
    """Another aggregate in the same store, whose events the read models do not consume."""


def test_other_aggregates_events_alone_move_the_tracking_to_the_end(newsroom: Services) -> None:
    newsroom.app.open_story("syria", "Syria talks", editor="ann")
    newsroom.runner.catch_up()
    story_end = newsroom.app.recorder.max_notification_id()
    newsroom.app.save(Unrelated(), Unrelated())
    last = newsroom.app.recorder.max_notification_id()

    assert newsroom.runner.catch_up() == last - story_end == 2
    assert positions(newsroom) == [last, last]
    assert [s.lag for s in newsroom.runner.status()] == [0, 0]


def test_a_rebuild_drops_the_tables_an_earlier_version_had(newsroom: Services) -> None:
    newsroom.app.open_story("syria", "Syria talks", editor="ann")
    newsroom.runner.catch_up()
    engine = newsroom.runner.engine
    with engine.begin() as connection:
        Table("history_updates", MetaData(), Column("story_id", Integer)).create(connection)

    newsroom.runner.rebuild(["history"])

    with engine.connect() as connection:
        assert not connection.dialect.has_table(connection, "history_updates", schema=schema_of(connection))
    assert [e.label for e in newsroom.queries.history("syria")] == ["Story opened"]


@pytest.mark.parametrize(("start", "limit", "stop"), [(0, 100, 100), (2, 3, 100), (1, 100, 6)])
def test_the_runners_read_of_the_log_is_the_librarys_select_of_story_events(
    newsroom: Services, start: int, limit: int, stop: int
) -> None:
    # On PostgreSQL the runner reads the log in psycopg's binary format (`notification_log`).
    newsroom.app.open_story("syria", "Syria talks", editor="ann", request_id="open")
    for n in range(1, 4):
        newsroom.app.post_update("syria", f"Update {n}", "Body.", editor="ann", request_id=f"post-{n}")
    recorder, topics = newsroom.app.recorder, sorted(STORY_TOPICS)

    read = select_notifications(recorder, start, limit, stop=stop, topics=topics)

    library = recorder.select_notifications(start, limit, stop=stop, topics=topics, inclusive_of_start=False)
    assert read == library and all(type(n.state) is bytes for n in read)
    between = recorder.select_notifications(start + 1, 100, stop=stop)
    assert {n.topic for n in between} - STORY_TOPICS  # the requests recorded among them: left out


def test_the_runner_reads_a_postgresql_log_by_its_own_binary_query_and_any_other_by_the_library(
    newsroom: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    newsroom.app.open_story("syria", "Syria talks", editor="ann")
    recorder, asked = newsroom.app.recorder, []
    library = recorder.select_notifications
    monkeypatch.setattr(recorder, "select_notifications", lambda *a, **k: asked.append(1) or library(*a, **k))

    read = select_notifications(recorder, 0, 100, stop=100, topics=sorted(STORY_TOPICS))

    assert read and bool(asked) == (newsroom.config.backend != "postgresql")
