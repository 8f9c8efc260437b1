"""Lighthouse (12.2.3, in Debian's Chromium) audits a real `serve` of the seed story: search
engines find all they look for (SEO 1.00) and the page is accessible (0.95 or better; it scores
1.00). One run for the whole suite, on SQLite only: Lighthouse is slow, and what it audits is the
page, which both stores serve alike (the rest of tests/web shows that).

Lighthouse is installed by .ci/run (`npm i -E lighthouse@12.2.3` into `.lighthouse/`, git-ignored).
Skipped when it, node or Chromium is missing, except with NEWSROOM_REQUIRE_BROWSER set (CI), when
it fails instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.seed_content import SEED_SLUG
from tests.web.live_server import serve_process
from tests.web.test_limits import newsroom

ROOT = Path(__file__).parents[2]
LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12.2.3"
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
PUBLIC = "https://news.example/"
RUN_WAIT = 600
"""Seconds Lighthouse may take before the test fails (a bound against hanging, not a measurement)."""


def _unavailable(reason: str) -> None:
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
        pytest.fail(f"the Lighthouse audit could not run: {reason} (NEWSROOM_REQUIRE_BROWSER is set)")
    pytest.skip(f"the Lighthouse audit needs {reason}")


def _lighthouse() -> Path:
    if not shutil.which("node"):
        _unavailable("node (apt-get install nodejs npm)")
    if not LIGHTHOUSE.exists():
        _unavailable(f"Lighthouse in .lighthouse/ (npm i -E lighthouse@{LIGHTHOUSE_VERSION}; .ci/run does)")
    if not shutil.which(CHROMIUM):
        _unavailable(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    return LIGHTHOUSE


def _failing(report: dict, category: str) -> list[str]:
    """The audits of `category` that cost it points, with what Lighthouse says of each."""
    audits = report["audits"]
    refs = report["categories"][category]["auditRefs"]
    return [
        f"{ref['id']}: {audits[ref['id']].get('title')}"
        for ref in refs
        if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]


def test_lighthouse_finds_the_seed_story_searchable_and_accessible(sqlite_url: str, tmp_path: Path) -> None:
    lighthouse = _lighthouse()
    assert newsroom(sqlite_url, "seed").returncode == 0
    output = tmp_path / "lighthouse.json"

    with serve_process(sqlite_url, "--public-url", PUBLIC) as (_process, base):
        run = subprocess.run(
            [
                str(lighthouse),
                f"{base}/stories/{SEED_SLUG}",
                "--only-categories=seo,accessibility",
                "--output=json",
                f"--output-path={output}",
                f"--chrome-flags={CHROMIUM_FLAGS}",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": shutil.which(CHROMIUM) or CHROMIUM},
            capture_output=True,
            text=True,
            timeout=RUN_WAIT,
            check=False,
        )

    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(output.read_text(encoding="utf-8"))
    assert report["lighthouseVersion"] == LIGHTHOUSE_VERSION
    scores = {name: category["score"] for name, category in report["categories"].items()}
    assert scores["seo"] == 1, _failing(report, "seo")
    assert scores["accessibility"] >= 0.95, _failing(report, "accessibility")
