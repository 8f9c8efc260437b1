"""What the web benchmarks serve from: `newsroom serve` and the bare baselines as processes of their
own on loopback, and the stories they fill a store with."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).parents[1]
EDITOR = "bench"


@contextmanager
def server_process(args: list[str], ready: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A server process and the http://127.0.0.1:PORT it prints on stderr."""
    process = subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert found, f"{ready}: {line!r}"
        yield process, found.group(0)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def newsroom_serve(url: str) -> Iterator[str]:
    """`newsroom serve` on the store at `url`, in its own process: its http://127.0.0.1:PORT."""
    command = [sys.executable, "-m", "cli", "--db", url, "serve", "--port", "0"]
    with server_process(command, "newsroom serve") as (_, base):
        yield base


def long_story(app: object, slug: str, updates: int) -> None:
    """Opens the story `slug` with `updates` updates posted, and publishes it."""
    app.open_story(slug, "A long story", standfirst="Many updates.", editor=EDITOR)  # type: ignore[attr-defined]
    for number in range(1, updates + 1):
        body = f"Body of update {number}, with *some* words."
        app.post_update(slug, f"Update {number}", body, editor=EDITOR)  # type: ignore[attr-defined]
    app.publish_story(slug, editor=EDITOR)  # type: ignore[attr-defined]


def story_version(app: object, slug: str) -> int:
    """The story's version now: what a reader's stream names the change by."""
    return int(app.get_story(slug).version)  # type: ignore[attr-defined]
