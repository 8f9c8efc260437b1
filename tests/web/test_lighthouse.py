"""Lighthouse (12.2.3, in Debian's Chromium) audits every kind of page of a real `serve` of the
seed story: the story page, an older page of it, an update's own page and the index. On each,
search engines find all they look for (SEO 1.00) and the page is accessible (0.95 or better; they
score 1.00). One Lighthouse run for the whole suite (one node process and one Chromium auditing
the pages in turn, `lighthouse_pages.mjs`), on SQLite only: Lighthouse is slow, and what it audits
is the page, which both stores serve alike (the rest of tests/web shows that).

Lighthouse is installed by .ci/run (`npm i -E lighthouse@12.2.3` into `.lighthouse/`, git-ignored).
Skipped when it, node or Chromium is missing, except with NEWSROOM_REQUIRE_BROWSER set (CI), when
it fails instead."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import NoReturn

import httpx
import pytest

from tests.seed_content import SEED_SLUG
from tests.web.live_server import serve_process
from tests.web.test_limits import newsroom
from tests.web.test_paging import link

ROOT = Path(__file__).parents[2]
MODULES = ROOT / ".lighthouse" / "node_modules"
LIGHTHOUSE = MODULES / "lighthouse" / "package.json"
PAGES_SCRIPT = Path(__file__).with_name("lighthouse_pages.mjs")
LIGHTHOUSE_VERSION = "12.2.3"
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
LEAST = {"seo": 1.0, "accessibility": 0.95}
"""The least score each audited category must reach on every page."""
PUBLIC = "https://news.example/"
PAGE_SIZE = 2
"""Updates on a page: few, so that the seed story (five updates) has older pages."""
RUN_WAIT = 600
"""Seconds Lighthouse may take before the test fails (a bound against hanging, not a measurement)."""


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
        pytest.fail(f"the Lighthouse audit could not run: {reason} (NEWSROOM_REQUIRE_BROWSER is set)")
    pytest.skip(f"the Lighthouse audit needs {reason}")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        _unavailable("node (apt-get install nodejs npm)")
    if not LIGHTHOUSE.exists():
        _unavailable(f"Lighthouse in .lighthouse/ (npm i -E lighthouse@{LIGHTHOUSE_VERSION}; .ci/run does)")
    if not shutil.which(CHROMIUM):
        _unavailable(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    return node


def _pages(base: str) -> dict[str, str]:
    """Every kind of page, found as a reader would: the story page, the older page its `rel="next"`
    link leads to, the own page of the first update there, and the index."""
    story = f"{base}/stories/{SEED_SLUG}"
    with httpx.Client() as client:
        older_public = link(client.get(story).text, "next")
        assert older_public and older_public.startswith(PUBLIC), (
            f"the story page links to no older page: {older_public!r}"
        )
        older = f"{base}/{older_public.removeprefix(PUBLIC)}"
        permalink = re.search(r'<a class="permalink" href="(/[^"]*)"', client.get(older).text)
        assert permalink, f"{older} shows no update with a permalink"
    return {
        "the story page": story,
        "an older page": older,
        "an update's own page": f"{base}{unescape(permalink.group(1))}",
        "the index": f"{base}/",
    }


def _audit(node: str, urls: list[str], output: Path) -> list[dict]:
    """Lighthouse's report on each of `urls`, in order, from one run."""
    run = subprocess.run(
        [node, str(PAGES_SCRIPT), str(MODULES), str(output), ",".join(LEAST), *urls],
        env={**os.environ, "CHROME_PATH": shutil.which(CHROMIUM) or CHROMIUM},
        capture_output=True,
        text=True,
        timeout=RUN_WAIT,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    reports: list[dict] = json.loads(output.read_text(encoding="utf-8"))
    return reports


def _failing(report: dict, category: str) -> list[str]:
    """The audits of `category` that cost it points, with what Lighthouse says of each."""
    audits = report["audits"]
    refs = report["categories"][category]["auditRefs"]
    return [
        f"{ref['id']}: {audits[ref['id']].get('title')}"
        for ref in refs
        if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]


def _shortfalls(name: str, report: dict) -> list[str]:
    """What keeps the page `name` from its scores (SEO 1.00, accessibility 0.95), audit by audit."""
    page = f"{name} ({report['requestedUrl']})"
    scores = {category: report["categories"][category]["score"] for category in LEAST}
    return [
        f"{page} scores {category} {scores[category]}: {_failing(report, category)}"
        for category, least in LEAST.items()
        if scores[category] is None or scores[category] < least
    ]


def test_lighthouse_finds_every_kind_of_page_searchable_and_accessible(
    sqlite_url: str, tmp_path: Path
) -> None:
    node = _node()
    assert newsroom(sqlite_url, "seed").returncode == 0

    with serve_process(sqlite_url, "--public-url", PUBLIC, "--page-size", str(PAGE_SIZE)) as (_process, base):
        pages = _pages(base)
        reports = _audit(node, list(pages.values()), tmp_path / "lighthouse.json")

    assert [report["lighthouseVersion"] for report in reports] == [LIGHTHOUSE_VERSION] * len(pages)
    assert [report["requestedUrl"] for report in reports] == list(pages.values())
    shortfalls = [
        line for name, report in zip(pages, reports, strict=True) for line in _shortfalls(name, report)
    ]
    assert not shortfalls, "\n".join(shortfalls)
