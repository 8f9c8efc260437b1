"""Fixtures for the application on a real store."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner, Result

from cli.main import newsroom
from tests.integration.tampering import RawEvents

Run = Callable[..., Result]
"""`run(*ARGS)`: the real `newsroom --db <the store> --as ann ARGS`, through click's CliRunner."""


@pytest.fixture
def raw(store_url: str) -> Iterator[RawEvents]:
    """The store's events table as a tamperer sees it, beside the application."""
    events = RawEvents(store_url)
    yield events
    events.close()


@pytest.fixture
def run(store_url: str) -> Run:
    """The CLI on the test's store, as ann."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(newsroom, ["--db", store_url, "--as", "ann", *args], catch_exceptions=False)

    return invoke
