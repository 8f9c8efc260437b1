"""Debian's Chromium as the browser tests drive it: where it is, how it is started, and a test that
cannot have it failing (under NEWSROOM_REQUIRE_BROWSER, as CI sets) or skipping."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable(reason: str) -> None:
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
        pytest.fail(f"browser tests could not run: {reason} (NEWSROOM_REQUIRE_BROWSER is set)")
    pytest.skip(f"browser tests need {reason}")


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Chromium through Playwright (`executable_path`: nothing is downloaded), closed after."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        unavailable("the playwright package")
    if not shutil.which(CHROMIUM):
        unavailable(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
