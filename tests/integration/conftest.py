"""Fixtures for the application on a real store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.tampering import RawEvents


@pytest.fixture
def raw(store_url: str) -> Iterator[RawEvents]:
    """The store's events table as a tamperer sees it, beside the application."""
    events = RawEvents(store_url)
    yield events
    events.close()
