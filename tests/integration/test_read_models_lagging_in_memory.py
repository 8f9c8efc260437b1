"""A reader that may not write the read models, on read models that lag: it reads the stored read
models and applies only the events after their positions, in memory, to copies of the stories
those events touch; what it shows is exactly what the read models caught up show."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infrastructure.bootstrap import Services, bootstrap
from infrastructure.projections.database import memory_engine
from infrastructure.projections.overlay import OverlaidQueries, apply_lag_in_memory
from infrastructure.projections.queries import ReadQueries
from infrastructure.projections.runner import ProjectionRunner
from tests.conftest import StepClock
from tests.support.every_event import NOTE, ORDER, post_one_to_take_down, record_every_event

CAUGHT_UP, LAGGING, UNTOUCHED = "syria-talks", "lagging", "untouched"


@pytest.fixture
def lagging_store(store_url: str) -> Iterator[Services]:
    services = lagging(store_url)
    yield services
    services.close()


def lagging(url: str) -> Services:
    """A store whose read models were caught up after two stories (one with every event type),
    then lag: the first story changed again, a new story with every event type, one taken down."""
    services = bootstrap(url, clock=StepClock())
    app = services.app
    record_every_event(app, CAUGHT_UP)
    app.open_story(UNTOUCHED, "Nothing new here", editor="ann")
    app.post_update(UNTOUCHED, "Quiet", "Nothing *new*.", editor="ann")
    services.runner.catch_up()
    app.post_update(CAUGHT_UP, "After the catch-up", "Later *news*.", key_event=True, editor="ann")
    app.correct_quote(CAUGHT_UP, 1, 1, text="We are hopeful.", note="Misquote", editor="ann")
    app.revise_update(CAUGHT_UP, 1, body="Revised again.", reason="Clearer", editor="ann")
    app.retract_update(CAUGHT_UP, 3, reason="Legal advice", editor="ann")
    number = post_one_to_take_down(app, CAUGHT_UP)
    app.take_down_update(CAUGHT_UP, number, order=ORDER, note=NOTE, editor="ann")
    record_every_event(app, LAGGING)
    return services


def everything_shown(queries: ReadQueries) -> dict[str, Any]:
    """Every answer the read queries give about the stories: pages now and at every version, the
    version at each version's time, the history whole and by update, the list, the schedulers,
    pages of two updates and updates' own pages."""
    shown: dict[str, Any] = {"stories": queries.stories(), "scheduling": queries.scheduling_stories()}
    for summary in shown["stories"]:
        slug = summary.slug
        timeline = queries.timeline(slug)
        history = queries.history(slug)
        shown[slug] = {
            "page": queries.page(slug),
            "pages": [queries.page_at(slug, v) for v in range(1, summary.version + 1)],
            "versions at": [queries.version_at(slug, at) for at in timeline.times.values()],
            "history": history,
            "by update": {n: queries.history(slug, n) for n in {e.update for e in history} if n},
            "timeline": timeline,
            "page windows": [queries.page_window(slug, 2, before) for before in (None, 2, 3)],
            "update pages": [queries.update_page(slug, number) for number in (1, 2, 3)],
        }
    return shown


def test_the_lag_applied_in_memory_shows_what_the_read_models_caught_up_show(
    lagging_store: Services,
) -> None:
    stored = lagging_store.runner
    memory = ProjectionRunner(lagging_store.app, memory_engine())
    touched = apply_lag_in_memory(stored, memory)
    overlaid = OverlaidQueries(
        ReadQueries(stored.engine, lambda: lagging_store.app),
        ReadQueries(memory.engine, lambda: lagging_store.app),
        touched,
    )
    in_memory = everything_shown(overlaid)
    assert [s.state for s in stored.status()] == ["behind", "behind"]  # nothing stored was written

    stored.catch_up()

    assert in_memory == everything_shown(lagging_store.queries)
    assert [s.slug for s in in_memory["stories"]] == [CAUGHT_UP, UNTOUCHED, LAGGING]
    memory.engine.dispose()


def test_only_the_stories_the_lag_touched_are_copied_to_memory(lagging_store: Services) -> None:
    memory = ProjectionRunner(lagging_store.app, memory_engine())

    touched = apply_lag_in_memory(lagging_store.runner, memory)

    copied = ReadQueries(memory.engine, lambda: lagging_store.app).stories()
    assert sorted(s.slug for s in copied) == [LAGGING, CAUGHT_UP]
    assert len(touched) == 2
    memory.engine.dispose()


def test_a_read_only_store_that_lags_reads_as_the_store_caught_up(sqlite_url: str) -> None:
    writable = lagging(sqlite_url)
    reader = bootstrap(f"{sqlite_url}?mode=ro")  # a read-only store is an SQLite file opened so
    try:
        read_only = everything_shown(reader.caught_up())
        assert reader.in_memory
        writable.runner.catch_up()
        assert read_only == everything_shown(writable.queries)
    finally:
        reader.close()
        writable.close()
