"""Fixtures for the application on a real store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infrastructure.composition import NewsroomWithReadModels, open_newsroom_with_read_models
from tests.conftest import StepClock
from tests.integration.tampering import RawEvents


@pytest.fixture
def app(store_url: str, clock: StepClock) -> Iterator[NewsroomWithReadModels]:
    """The application with its read models on a fresh store, with an exact clock (a test module
    may define its own `app`)."""
    newsroom = open_newsroom_with_read_models(store_url, clock=clock)
    yield newsroom
    newsroom.close()


@pytest.fixture
def raw(store_url: str) -> Iterator[RawEvents]:
    """The store's events table as a tamperer sees it, beside the application."""
    events = RawEvents(store_url)
    yield events
    events.close()
