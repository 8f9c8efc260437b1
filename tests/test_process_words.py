"""The code and the docs speak of the product: no issue numbers or session words in any source,
test, template, script or page, so each says why a thing is so, not when it was done. Recorded
benchmark results (benchmarks/results/) are outputs and keep their headings."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
SUFFIXES = (".py", ".md", ".j2", ".js")
NOT_OURS = {".venv", ".git", "site", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}
RECORDED = ROOT / "benchmarks" / "results"
# An issue or a session by its number, also with "'s" or "/N" after it; a PostgreSQL session or
# the test session has no number.
PROCESS_WORDS = re.compile(r"\b(?:issue|session)s? [0-9]+", re.IGNORECASE)


def _ours() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [s for s in subfolders if s not in NOT_OURS and not s.endswith(".egg-info")]
        if Path(folder) != RECORDED:
            found += [Path(folder, name) for name in files if name.endswith(SUFFIXES)]
    return found


def test_no_source_or_page_names_an_issue_or_a_session() -> None:
    found = {
        str(path.relative_to(ROOT)): PROCESS_WORDS.findall(path.read_text(encoding="utf-8"))
        for path in _ours()
    }

    assert len(found) > 100
    assert {path: words for path, words in found.items() if words} == {}
