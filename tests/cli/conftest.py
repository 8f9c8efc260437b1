"""Running the real `newsroom` command through click's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import newsroom

Run = Callable[..., Result]


@pytest.fixture
def run(sqlite_url: str) -> Run:
    """Runs `newsroom --db <a fresh store> ARGS`, with stdin if given."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, db: str | None = None) -> Result:
        return runner.invoke(newsroom, ["--db", db or sqlite_url, *args], input=input, catch_exceptions=False)

    return invoke


def events_of(run: Run, slug: str) -> list[dict[str, Any]]:
    result = run("events", slug, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
