"""Telling whether the stored read models are current by one look, without the application: what
lets a read of current read models load nothing of the write side."""

from __future__ import annotations

from sqlalchemy import update

from infrastructure.bootstrap import Services
from infrastructure.projections.freshness import read_models_current
from infrastructure.projections.runner import PROJECTIONS
from infrastructure.projections.tracking import projection_versions
from infrastructure.projections.versions import PROJECTION_VERSIONS
from infrastructure.store import parse_url


def current(newsroom: Services) -> bool:
    return read_models_current(newsroom.runner.engine, parse_url(newsroom.url))


def test_read_models_caught_up_are_current(newsroom: Services) -> None:
    newsroom.app.open_story("syria", "Syria talks", editor="ann")
    newsroom.runner.catch_up()

    assert current(newsroom)


def test_read_models_are_not_current_after_a_write(newsroom: Services) -> None:
    newsroom.app.open_story("syria", "Syria talks", editor="ann")
    newsroom.runner.catch_up()
    newsroom.app.post_update("syria", "One", "First.", editor="ann")

    assert not current(newsroom)
    assert [s.state for s in newsroom.runner.status()] == ["behind", "behind"]


def test_read_models_built_by_another_version_of_their_code_are_not_current(newsroom: Services) -> None:
    newsroom.app.open_story("syria", "Syria talks", editor="ann")
    newsroom.runner.catch_up()
    with newsroom.runner.engine.begin() as connection:
        connection.execute(
            update(projection_versions).where(projection_versions.c.projection == "history").values(version=0)
        )

    assert not current(newsroom)


def test_the_read_path_knows_the_version_each_projection_is_built_by() -> None:
    assert {cls.name: cls.version for cls in PROJECTIONS} == PROJECTION_VERSIONS


def test_a_read_on_a_store_with_no_read_models_yet_builds_them(newsroom: Services) -> None:
    newsroom.app.open_story("syria", "Syria talks", editor="ann")

    assert newsroom.caught_up().page("syria").header.headline == "Syria talks"
    assert current(newsroom)
