"""A write command as a whole process: it appends its events and nothing else, so it neither
imports SQLAlchemy nor touches the read models; the next read shows the write. Nor does it import
what only other commands use: the page fold (reads and audits), erasures, request records (only with
--request-id), the refusal messages (only when refused), signatures (only on a store that signs)."""

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
    loaded = [m for m in sys.modules if m in NOT_FOR_A_WRITE or m.split(".")[0] in NOT_FOR_A_WRITE]
    print(sorted(loaded), file=sys.stderr)
"""
NOT_FOR_A_WRITE = (
    "sqlalchemy",
    "jinja2",
    "domain.page_fold",
    "domain.meanings",
    "domain.erasure",
    "domain.request",
    "cli.messages",
    "infrastructure.sshsig",
)


def newsroom_process(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = f"NOT_FOR_A_WRITE = {NOT_FOR_A_WRITE!r}\n{WRITE_THEN_REPORT_MODULES}"
    argv = [sys.executable, "-c", script, "--db", url, "--as", "ann", *args]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)


def test_a_write_command_imports_only_what_it_runs_and_never_touches_the_read_models(store_url: str) -> None:
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
