"""A long story's first page costs what a short story's does: its bytes, and its load time in
Chromium (Debian's, driven by Playwright), for a story of 2,000 updates beside one of 20, both
served by one `newsroom serve` in its own process.

The load time is the browser's own (`loadEventEnd` of the navigation), each load in a fresh
browser context (nothing cached, nothing fetched but from loopback: the updates' images are
not), the two stories loaded alternately (ABBA) so a noisy spell hits both alike. Without
Chromium or Playwright the load row is not measured (a note says so).
"""

from __future__ import annotations

import os
import shutil
import statistics
from collections.abc import Callable

import httpx

from benchmarks.rows import Findings, Row, at_most
from benchmarks.stores import fresh_store
from benchmarks.stories import EDITOR, grow_story
from benchmarks.web_servers import newsroom_serve

BYTES = "bytes of the first page of a {updates:,}-update story"
LOAD = "Chromium load of the first page of a {updates:,}-update story (ms)"
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def first_page_rows(backend: str, short: int, long: int, runs: int) -> Findings:
    """The first page's bytes and Chromium load time, `long` updates beside `short`."""
    from infrastructure.bootstrap import bootstrap

    with fresh_store(backend) as store:
        services = bootstrap(store.url)
        try:
            for slug, updates in (("short", short), ("long", long)):
                grow_story(services.app, slug, updates + 1)  # its opening, then the updates
                services.app.publish_story(slug, editor=EDITOR)
        finally:
            services.close()
        with newsroom_serve(store.url) as base:
            return _rows(backend, base, short, long, runs)


def _rows(backend: str, base: str, short: int, long: int, runs: int) -> Findings:
    with httpx.Client() as client:
        sizes = {
            slug: len(client.get(f"{base}/stories/{slug}", headers={"Accept-Encoding": "identity"}).content)
            for slug in ("short", "long")
        }
    found = Findings()
    found.rows.append(
        Row(
            BYTES.format(updates=long), backend, sizes["long"], "bytes", sizes["short"],
            f"the first page of a {short:,}-update story", at_most(1.2), "uncompressed",
        )
    )  # fmt: skip
    loads = _loads(base, runs)
    if loads is None:
        found.notes.append(
            f"{LOAD.format(updates=long)}: not measured (no Chromium at {CHROMIUM} or no Playwright)"
        )
        return found
    found.rows.append(
        Row(
            LOAD.format(updates=long), backend, statistics.median(loads["long"]), "ms",
            statistics.median(loads["short"]), f"the first page of a {short:,}-update story",
            at_most(1.2), f"loadEventEnd, fresh context each, median of {runs} alternate loads",
        )
    )  # fmt: skip
    return found


def _loads(base: str, runs: int) -> dict[str, list[float]] | None:
    """Each story's first-page load times in ms, measured alternately (ABBA); None without Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not shutil.which(CHROMIUM):
        return None
    times: dict[str, list[float]] = {"short": [], "long": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            load = _loader(browser, base)
            for slug in ("short", "long"):
                load(slug)  # warm-up: the server's first rendering, the browser's first start
            for run in range(runs):
                order = ("short", "long") if run % 2 == 0 else ("long", "short")
                for slug in order:
                    times[slug].append(load(slug))
        finally:
            browser.close()
    return times


def _loader(browser: object, base: str) -> Callable[[str], float]:
    def load(slug: str) -> float:
        context = browser.new_context()  # type: ignore[attr-defined]
        # The updates' images are on the Internet: the loads stay on loopback, as every run does.
        context.route("**/*", _loopback_only)
        try:
            page = context.new_page()
            page.goto(f"{base}/stories/{slug}", wait_until="load")
            return float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        finally:
            context.close()

    return load


def _loopback_only(route: object) -> None:
    url = route.request.url  # type: ignore[attr-defined]
    if url.startswith("http://127.0.0.1:"):
        route.continue_()  # type: ignore[attr-defined]
    else:
        route.abort()  # type: ignore[attr-defined]
