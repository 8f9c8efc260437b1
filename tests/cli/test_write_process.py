"""A write command as a whole process: it appends its events and nothing else, so it neither
imports SQLAlchemy nor touches the read models; the next read shows the write."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from infrastructure.bootstrap import bootstrap

ROOT = Path(__file__).parents[2]
WRITE_THEN_REPORT_MODULES = """
import sys
from cli.main import newsroom
try:
    newsroom(sys.argv[1:], prog_name="newsroom")
finally:
    print(sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "jinja2")), file=sys.stderr)
"""


def newsroom_process(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-c", WRITE_THEN_REPORT_MODULES, "--db", url, "--as", "ann", *args]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)


def test_a_write_command_neither_imports_sqlalchemy_nor_touches_the_read_models(store_url: str) -> None:
    opened = newsroom_process(store_url, "story", "open", "syria", "--headline", "Syria talks")
    posted = newsroom_process(store_url, "update", "post", "syria", "--title", "One", "--body", "*First*.")

    for result in (opened, posted):
        assert result.returncode == 0, result.stderr
        assert result.stderr.strip() == "[]"
    newsroom = bootstrap(store_url)
    try:
        assert [s.state for s in newsroom.runner.status()] == ["not built", "not built"]
        newsroom.caught_up()
        assert [s.state for s in newsroom.runner.status()] == ["up to date", "up to date"]
    finally:
        newsroom.close()


def test_the_next_read_command_shows_every_write(store_url: str) -> None:
    newsroom_process(store_url, "story", "open", "syria", "--headline", "Syria talks")
    for title in ("One", "Two", "Three"):
        newsroom_process(store_url, "update", "post", "syria", "--title", title, "--body", "Text.")

    argv = [sys.executable, "-m", "cli", "--db", store_url, "page", "syria", "--format", "json"]
    page = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)

    assert [u["title"] for u in json.loads(page.stdout)["updates"]] == ["Three", "Two", "One"]
