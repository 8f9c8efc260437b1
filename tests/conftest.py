"""Shared fixtures: a store URL for each backend, an exact clock, and the services on the store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.postgres import postgres_schema

if TYPE_CHECKING:
    from domain.application import Newsroom
    from infrastructure.bootstrap import Services
    from tests.support.ssh_keys import KeyShelf

POSTGRES_URL_VAR = "NEWSROOM_TEST_POSTGRES"


class StepClock:
    """A clock that starts at a fixed moment and moves one minute each time it is read."""

    def __init__(self, start: datetime = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        moment = self.now
        self.now += timedelta(minutes=1)
        return moment


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'newsroom.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL database, dropped afterwards."""
    base = os.environ.get(POSTGRES_URL_VAR)
    if not base:
        if os.environ.get("NEWSROOM_REQUIRE_POSTGRES"):
            pytest.fail(f"{POSTGRES_URL_VAR} is not set but NEWSROOM_REQUIRE_POSTGRES is")
        pytest.skip(f"{POSTGRES_URL_VAR} is not set")
    with postgres_schema(base, prefix="t") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """The same test on an embedded SQLite file and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def newsroom(store_url: str, clock: StepClock) -> Iterator[Services]:
    """The services on a fresh store, as the CLI builds them, with an exact clock (a test module
    may define its own). Imported here, not above: the unit tests' runs stay free of the store."""
    from infrastructure.bootstrap import bootstrap

    services = bootstrap(store_url, clock=clock)
    yield services
    services.close()


@pytest.fixture
def app(newsroom: Services) -> Newsroom:
    """The application (the editors' commands) of `newsroom`."""
    return newsroom.app


@pytest.fixture(scope="session")
def ssh_keys(tmp_path_factory: pytest.TempPathFactory) -> KeyShelf:
    """Real Ed25519 keys by name (`ssh_keys("ann")`), made by ssh-keygen once per test run."""
    from tests.support.ssh_keys import KeyShelf

    return KeyShelf(tmp_path_factory.mktemp("ssh-keys"))
