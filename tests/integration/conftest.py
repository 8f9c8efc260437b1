"""Fixtures for the application on a real store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.application import Newsroom
from infrastructure.bootstrap import Services, bootstrap
from tests.conftest import StepClock
from tests.integration.tampering import RawEvents


@pytest.fixture
def newsroom(store_url: str, clock: StepClock) -> Iterator[Services]:
    """The services on a fresh store, as the CLI builds them, with an exact clock (a test module
    may define its own)."""
    services = bootstrap(store_url, clock=clock)
    yield services
    services.close()


@pytest.fixture
def app(newsroom: Services) -> Newsroom:
    """The application (the editors' commands) of `newsroom`."""
    return newsroom.app


@pytest.fixture
def raw(store_url: str) -> Iterator[RawEvents]:
    """The store's events table as a tamperer sees it, beside the application."""
    events = RawEvents(store_url)
    yield events
    events.close()
