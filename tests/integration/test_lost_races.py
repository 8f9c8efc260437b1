"""A command whose save loses a race (another writer saved first: the store refuses the save with
the library's `IntegrityError`) runs again on a fresh read, waiting as the retry policy says; one
made against an expected version is refused instead; one that keeps losing gives up with nothing
written. On SQLite and PostgreSQL, the lost race made by failing the first saves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from domain.application import Newsroom
from domain.errors import StaffBusy, StoryBusy, VersionConflict
from domain.story import Story

SLUG = "syria"


class CountedWaits:
    attempts = 3

    def __init__(self) -> None:
        self.waited: list[int] = []

    def wait(self, attempt: int) -> None:
        self.waited.append(attempt)


def losing_saves(app: Newsroom, losses: int) -> Callable[[], int]:
    """Makes the next `losses` saves of `app` fail as a lost race; returns how many saves were tried."""
    real, tried = app.save, []

    def save(*objects: Any, **kwargs: Any) -> Any:
        tried.append(1)
        if len(tried) <= losses:
            raise IntegrityError("another writer saved first")
        return real(*objects, **kwargs)

    app.save = save  # type: ignore[method-assign]
    return lambda: len(tried)


def story_events(app: Newsroom) -> list[str]:
    return [type(e).__name__ for e in app.repository.event_store.get(Story.id_for(SLUG))]


@pytest.fixture
def waits(app: Newsroom) -> CountedWaits:
    app.open_story(SLUG, "Syria talks", editor="ann")
    app.retry = waits = CountedWaits()
    return waits


def test_a_post_that_lost_a_race_is_run_again_and_recorded_once(app: Newsroom, waits: CountedWaits) -> None:
    tried = losing_saves(app, 1)

    number = app.post_update(SLUG, "Talks begin", "Body.", editor="ann")

    assert (number, tried(), waits.waited) == (1, 2, [0])
    assert story_events(app) == ["Opened", "UpdatePosted"]


def test_a_command_that_keeps_losing_gives_up_with_nothing_written(
    app: Newsroom, waits: CountedWaits
) -> None:
    tried = losing_saves(app, 3)

    with pytest.raises(StoryBusy):
        app.post_update(SLUG, "Talks begin", "Body.", editor="ann")

    assert (tried(), waits.waited) == (3, [0, 1, 2])
    assert story_events(app) == ["Opened"]


def test_a_command_against_an_expected_version_is_refused_rather_than_run_again(
    app: Newsroom, waits: CountedWaits
) -> None:
    app.post_update(SLUG, "Talks begin", "Body.", editor="ann")
    tried = losing_saves(app, 1)

    with pytest.raises(VersionConflict):
        app.revise_update(SLUG, 1, title="Talks start", reason="Tense", editor="ann", expect_version=2)

    assert (tried(), waits.waited) == (1, [])
    assert story_events(app) == ["Opened", "UpdatePosted"]


def test_a_staff_change_and_an_erasure_that_lost_a_race_are_run_again(
    app: Newsroom, waits: CountedWaits
) -> None:
    tried = losing_saves(app, 1)
    app.add_staff("root", ["admin"], editor="root")
    assert (tried(), waits.waited) == (2, [0])

    tried = losing_saves(app, 1)
    app.erase_person("cy", request="DSAR-1", editor="root")
    assert app.get_erasure_count() == 1 and waits.waited == [0, 0]

    losing_saves(app, 3)
    with pytest.raises(StaffBusy):
        app.add_staff("ann", ["editor"], editor="root")
    assert [m.name for m in app.get_staff()] == ["root"]
