"""Catching up reads only the story events, yet tracks every notification id, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eventsourcing.domain import Aggregate
from sqlalchemy import Column, Integer, MetaData, Table

from infrastructure.composition import NewsroomWithReadModels, open_newsroom_with_read_models
from infrastructure.projections.tracking import _schema
from tests.conftest import StepClock


@pytest.fixture
def app(store_url: str, clock: StepClock) -> Iterator[NewsroomWithReadModels]:
    newsroom = open_newsroom_with_read_models(store_url, clock=clock)
    yield newsroom
    newsroom.close()


def positions(app: NewsroomWithReadModels) -> list[int]:
    return [s.position for s in app.read_models.status()]


@pytest.mark.parametrize("batch_size", [1, 2, 3, 2000])
def test_small_batches_among_other_aggregates_events_apply_every_story_event_once(
    app: NewsroomWithReadModels, batch_size: int
) -> None:
    app.open_story("syria", "Syria talks", editor="ann", request_id="open")
    for n in range(1, 6):
        app.post_update("syria", f"Update {n}", "Body.", editor="ann", request_id=f"post-{n}")
    app.read_models.batch_size = batch_size
    last = app.recorder.max_notification_id()

    moved = app.read_models.catch_up()

    assert moved == last
    assert positions(app) == [last, last]
    assert [e.version for e in app.read_models.queries.history("syria")] == [1, 2, 3, 4, 5, 6]
    assert [u.title for u in app.read_models.queries.page("syria").updates][0] == "Update 5"


class Unrelated(Aggregate):
    """Another aggregate in the same store, whose events the read models do not consume."""


def test_other_aggregates_events_alone_move_the_tracking_to_the_end(app: NewsroomWithReadModels) -> None:
    app.open_story("syria", "Syria talks", editor="ann")
    app.read_models.catch_up()
    story_end = app.recorder.max_notification_id()
    app.save(Unrelated(), Unrelated())
    last = app.recorder.max_notification_id()

    assert app.read_models.catch_up() == last - story_end == 2
    assert positions(app) == [last, last]
    assert [s.lag for s in app.read_models.status()] == [0, 0]


def test_a_rebuild_drops_the_tables_an_earlier_version_had(app: NewsroomWithReadModels) -> None:
    app.open_story("syria", "Syria talks", editor="ann")
    app.read_models.catch_up()
    engine = app.read_models.engine
    with engine.begin() as connection:
        Table("history_updates", MetaData(), Column("story_id", Integer)).create(connection)

    app.read_models.rebuild(["history"])

    with engine.connect() as connection:
        assert not connection.dialect.has_table(connection, "history_updates", schema=_schema(connection))
    assert [e.label for e in app.read_models.queries.history("syria")] == ["Story opened"]
