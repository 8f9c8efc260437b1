"""The README's first command, as real processes: seed the embedded store, then show the page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.seed_content import SEED_SLUG, missing_or_out_of_order, seed_content_lines

ROOT = Path(__file__).parents[2]


def newsroom(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "--db", f"sqlite:///{tmp_path / 'newsroom.db'}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_seeded_page_shows_all_the_seed_content_in_the_seed_order(tmp_path: Path) -> None:
    assert newsroom(tmp_path, "seed").returncode == 0

    page = newsroom(tmp_path, "page", SEED_SLUG)

    assert page.returncode == 0, page.stderr
    assert len(seed_content_lines()) > 30
    assert missing_or_out_of_order(page.stdout) == []


def test_a_second_seed_appends_nothing(tmp_path: Path) -> None:
    newsroom(tmp_path, "seed")
    events_before = newsroom(tmp_path, "events", SEED_SLUG, "--format", "json").stdout

    again = newsroom(tmp_path, "seed")

    assert again.returncode == 0 and "nothing appended" in again.stdout
    assert newsroom(tmp_path, "events", SEED_SLUG, "--format", "json").stdout == events_before
