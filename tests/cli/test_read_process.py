"""A read command as a whole process: on read models that are current it reads them and loads
nothing of the write side (the application, Markdown parsing, the encryption), nor the projections'
code, nor the other store's SQL dialect; the first read after a write still shows it. (The text
page renders its Markdown's inline marks, so it alone loads markdown-it.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from infrastructure.bootstrap import bootstrap

ROOT = Path(__file__).parents[2]
READ_THEN_REPORT_MODULES = """
import sys
from cli.main import newsroom
try:
    newsroom(sys.argv[1:], prog_name="newsroom")
finally:
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
""".replace("import sys", "import json, sys", 1)
WRITE_SIDE = (
    "domain.application",
    "domain.story",
    "domain.markdown_body",
    "markdown_it",
    "infrastructure.encryption",
    "infrastructure.key_stores",
    "cryptography",
    "infrastructure.projections.runner",
    "infrastructure.projections.live_page",
    "infrastructure.projections.history",
)


def read_process(url: str, *args: str) -> tuple[str, set[str]]:
    """What a `newsroom --db URL ARGS` process printed, and every module it imported."""
    argv = [sys.executable, "-c", READ_THEN_REPORT_MODULES, "--db", url, *args]
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout, set(json.loads(result.stderr.splitlines()[-1]))


@pytest.fixture
def current_store(store_url: str) -> str:
    """A store with one story of two updates, its read models caught up."""
    newsroom = bootstrap(store_url)
    try:
        newsroom.app.open_story("syria", "Syria talks", editor="ann")
        newsroom.app.post_update("syria", "One", "*First*.", editor="ann")
        newsroom.app.post_update("syria", "Two", "Second.", editor="ann")
        newsroom.caught_up()
    finally:
        newsroom.close()
    return store_url


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize(
    "command",
    [
        ("page", "syria", "--format", "json"),
        ("page", "syria", "--version", "2", "--format", "json"),
        ("story", "list"),
        ("story", "list", "--format", "json"),
    ],
)
def test_a_read_of_current_read_models_loads_nothing_of_the_write_side(
    current_store: str, command: tuple[str, ...]
) -> None:
    output, modules = read_process(current_store, *command)

    assert "syria" in output or "Syria" in output
    assert loaded(modules, WRITE_SIDE) == []


def test_a_read_loads_only_its_own_stores_sql_dialect(current_store: str) -> None:
    other = "postgresql" if current_store.startswith("sqlite") else "sqlite"

    _, modules = read_process(current_store, "page", "syria", "--format", "json")

    assert loaded(modules, (f"sqlalchemy.dialects.{other}",)) == []


def test_the_first_read_after_a_write_applies_it_and_the_next_reads_as_it_stands(current_store: str) -> None:
    newsroom = bootstrap(current_store)
    try:
        newsroom.app.post_update("syria", "Three", "Third.", editor="ann")
    finally:
        newsroom.close()

    first, catching_up = read_process(current_store, "page", "syria", "--format", "json")
    second, current = read_process(current_store, "page", "syria", "--format", "json")

    assert [u["title"] for u in json.loads(first)["updates"]] == ["Three", "Two", "One"]
    assert second == first
    assert "infrastructure.projections.runner" in catching_up
    assert loaded(current, WRITE_SIDE) == []
