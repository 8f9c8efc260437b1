"""Bidi overrides, embeddings and isolates typed into a story never reach a reader's screen: the
pages (and their `<title>` and JSON-LD), the feed and the changes' HTML leave them out. The JSON
API gives the words as stored."""

from __future__ import annotations

import json
import re

import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.rendering.bidi import BIDI_CONTROLS, rendered, shown_bidi_controls, without_bidi_controls
from infrastructure.web.site import Site
from tests.web.conftest import EDITOR

RLO, PDF, LRI, PDI, RLM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f"
HEADLINE = f"Minister {RLO}sngiser{PDF} today"
TITLE = f"Vote {LRI}counted{PDI}"
EVERY_CONTROL = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


@pytest.fixture
def tricked(app: Newsroom, site: Site) -> Newsroom:
    app.open_story("vote", HEADLINE, standfirst=f"Polls {RLO}desolc{PDF}", editor=EDITOR)
    app.post_update("vote", TITLE, f"> Quote {RLO}sdrow{PDF}\n>\n> – {RLO}eman{PDF}", editor=EDITOR)
    app.publish_story("vote", editor=EDITOR)
    site.refresh()
    return app


@pytest.mark.parametrize("path", ["/", "/stories/vote", "/stories/vote/feed.atom", "/nowhere"])
def test_rendered_text_carries_no_bidi_control(tricked: Newsroom, client: TestClient, path: str) -> None:
    answer = client.get(path)

    assert not BIDI_CONTROLS.search(answer.text)


def test_the_changes_carry_the_update_rendered_without_controls_and_its_words_as_stored(
    tricked: Newsroom, client: TestClient
) -> None:
    posted = client.get("/api/stories/vote/changes?after=0").json()["changes"][0]

    assert not BIDI_CONTROLS.search(posted["html"]) and "<h3>Vote counted</h3>" in posted["html"]
    assert posted["item"]["title"] == TITLE  # the page's client leaves the controls out as it shows it


def test_the_page_title_and_json_ld_read_as_the_words_without_controls(
    tricked: Newsroom, client: TestClient
) -> None:
    text = client.get("/stories/vote").text

    assert "<title>Minister sngiser today</title>" in text
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))
    assert (
        ld["headline"] == "Minister sngiser today" and ld["liveBlogUpdate"][0]["headline"] == "Vote counted"
    )


def test_the_json_api_gives_the_words_as_stored(tricked: Newsroom, client: TestClient) -> None:
    page = client.get("/api/stories/vote").json()

    assert page["headline"] == HEADLINE and page["updates"][0]["title"] == TITLE


def test_every_override_embedding_and_isolate_is_removed_and_the_marks_are_kept() -> None:
    assert without_bidi_controls(f"a{EVERY_CONTROL}b{RLM}c") == f"ab{RLM}c"
    assert shown_bidi_controls(f"a{RLO}b") == "a<U+202E>b"
    assert rendered(7) == 7
