"""A takedown or an erasure made by another process reaches a running server within a second:
no page at any version (one never asked for included), no change list, no feed, no story JSON and
no stream replayed from `Last-Event-ID` serves the words or the name any more."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from infrastructure.bootstrap import Services
from tests.web.live_server import live_server, read_events, stream

ROOT = Path(__file__).parents[2]
SLUG = "inquiry"
EDITOR = "Ann Editor"
WORDS = "Quillfeather"
NAME = "Zoë Quarrington-Ülker"
Answers = dict[str, "Answer"]
WITHIN = 1.0
"""Seconds after the command returns by which no answer may hold the words (the promise readers
are given, so a bound the test fails past, not a measurement)."""


def newsroom_cli(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI, in a process of its own (not the server's)."""
    command = [sys.executable, "-m", "cli", "--db", db, *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def _story_with_words(newsroom: Services) -> None:
    """Versions 1 open, 2 published, 3 the words posted, 4 and 5 other updates."""
    app = newsroom.app
    app.open_story(SLUG, "An inquiry", editor=EDITOR)
    app.publish_story(SLUG, editor=EDITOR)
    app.post_update(SLUG, "Claim", f"{WORDS} said the minister knew.", editor=EDITOR)
    app.post_update(SLUG, "Later", "The minister declined to comment.", editor=EDITOR)
    app.post_update(SLUG, "Latest", "The inquiry resumes on Monday.", editor=EDITOR)


def _story_with_a_name(newsroom: Services) -> None:
    app = newsroom.app
    app.open_story(SLUG, "An inquiry", editor=EDITOR)
    app.publish_story(SLUG, editor=EDITOR)
    app.post_update(SLUG, "Opening", "> Words.\n>\n> – Someone", editor=EDITOR)
    app.correct_quote(SLUG, 1, 1, text="Better words.", note="Misquote", editor=NAME)
    app.post_update(SLUG, "Later", "More words.", editor=EDITOR)


@dataclass(frozen=True)
class Answer:
    etag: str | None
    text: str
    status: int = 200


def _answers(client: httpx.Client, base: str, versions: list[int], kept: Answers | None = None) -> Answers:
    """Every route's answer that could hold the story's words or names, by path, as a browser
    that `kept` earlier answers sees them: it revalidates with their ETags, and keeps showing
    what it has on a 304."""
    paths = [f"/stories/{SLUG}?version={v}" for v in versions]
    paths += [f"/stories/{SLUG}", f"/stories/{SLUG}/feed.atom", f"/api/stories/{SLUG}", "/", "/api/stories"]
    paths += [f"/api/stories/{SLUG}/changes?after=0", f"/api/stories/{SLUG}/changes?after=2"]
    # Update 1 on an older page (its cursor) and on its own page.
    paths += [f"/stories/{SLUG}?before=2", f"/api/stories/{SLUG}?before=2", f"/stories/{SLUG}/updates/1"]
    answers = {}
    for path in paths:
        before = (kept or {}).get(path)
        headers = {"If-None-Match": before.etag} if before is not None and before.etag else {}
        response = client.get(base + path, headers=headers)
        if response.status_code == 304 and before is not None:
            answers[path] = before
            continue
        # A version the server has not caught up with yet is a 404 until it has: polled again.
        assert response.status_code in (200, 404), (path, response.status_code)
        answers[path] = Answer(response.headers.get("etag"), response.text, response.status_code)
    changes = client.get(f"{base}/api/stories/{SLUG}/changes?after=0").json()["changes"]
    with stream(client, f"{base}/stories/{SLUG}/live", headers={"Last-Event-ID": "0"}) as response:
        replayed = read_events(response, len(changes))
    answers["stream from Last-Event-ID 0"] = Answer(None, repr([e.data for e in replayed]))
    return answers


def _holding(answers: Answers, *words: str) -> list[str]:
    """The routes whose answer holds one of `words`, or that cannot be read yet."""
    return [
        path
        for path, answer in answers.items()
        if answer.status != 200 or any(word in answer.text for word in words)
    ]


def _until_none_hold(
    client: httpx.Client, base: str, versions: list[int], kept: Answers, *words: str
) -> list[str]:
    """The routes still holding `words` for a browser that kept `kept`, polled until none does or
    `WITHIN` s have passed."""
    deadline = time.monotonic() + WITHIN
    while True:
        holding = _holding(_answers(client, base, versions, kept), *words)
        if not holding or time.monotonic() > deadline:
            return holding
        time.sleep(0.05)


def test_a_takedown_from_another_process_reaches_every_route_of_a_running_server(
    newsroom: Services, store_url: str
) -> None:
    _story_with_words(newsroom)
    with live_server(store_url) as base, httpx.Client() as client:
        before = _answers(client, base, [3, 5])  # version 4 is never asked for before the takedown
        assert f"/stories/{SLUG}?version=3" in _holding(before, WORDS)
        assert f"/stories/{SLUG}/updates/1" in _holding(before, WORDS)
        assert "stream from Last-Event-ID 0" in _holding(before, WORDS)

        done = newsroom_cli(
            store_url, "--as", EDITOR, "update", "takedown", SLUG, "1",
            "--order", "HC-2013-118", "--note", "Removed by court order.",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

        assert _until_none_hold(client, base, [3, 4, 5, 6], before, WORDS) == []
        assert "Removed by court order." in client.get(f"{base}/stories/{SLUG}").text


def test_an_erasure_from_another_process_reaches_every_route_of_a_running_server(
    newsroom: Services, store_url: str
) -> None:
    _story_with_a_name(newsroom)
    with live_server(store_url) as base, httpx.Client() as client:
        before = _answers(client, base, [4, 5])
        assert f"/api/stories/{SLUG}" in _holding(before, "Quarrington")
        assert f"/api/stories/{SLUG}?before=2" in _holding(before, "Quarrington")
        assert "stream from Last-Event-ID 0" in _holding(before, "Quarrington")

        done = newsroom_cli(store_url, "--as", "root", "staff", "erase", NAME, "--request", "DSAR-1")
        assert done.returncode == 0, done.stderr

        assert _until_none_hold(client, base, [3, 4, 5], before, "Quarrington") == []
        assert "[erased]" in client.get(f"{base}/api/stories/{SLUG}").text
