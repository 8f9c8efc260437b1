"""Four processes posting to four stories at once, beside one process posting alone (PostgreSQL).

Run as a worker: `python -m benchmarks.concurrency_bench URL SLUG POSTS`. A worker opens the store,
prints "ready", waits for a line on stdin, posts, then prints its start and end on the monotonic clock
(system-wide on Linux), so start-up is not counted and the runs of several workers line up.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.rows import Findings, Row, at_least
from benchmarks.stores import POSTGRES, fresh_store
from benchmarks.stories import BODY, EDITOR, TITLE
from infrastructure.bootstrap import bootstrap

ROOT = Path(__file__).parents[1]
FIGURE = "4 processes posting to 4 stories at once"
WRITERS = 4


def concurrent_writers(runs: int, posts: int, backend: str = POSTGRES) -> Findings:
    """Median throughput (posts/s) of 4 writers at once and of 1 alone, in alternating rounds."""
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            together: list[float] = []
            alone: list[float] = []
            for round_ in range(runs):
                trials = [(WRITERS, together), (1, alone)]
                for writers, rates in trials if round_ % 2 == 0 else reversed(trials):
                    slugs = [f"r{round_}-w{writers}-{i}" for i in range(writers)]
                    for slug in slugs:
                        app.open_story(slug, "A live blog", editor=EDITOR)
                    rates.append(_throughput(store.url, slugs, posts))
        finally:
            app.close()
    row = Row(
        FIGURE,
        backend,
        statistics.median(together),
        "/s",
        statistics.median(alone),
        "1 process posting alone",
        at_least(1.6) if backend == POSTGRES else None,
        _note(backend, runs, posts),
    )
    return Findings(rows=[row])


def _note(backend: str, runs: int, posts: int) -> str:
    comparison = "" if backend == POSTGRES else "for comparison: SQLite takes one writer at a time; "
    return (
        f"{comparison}posts per second; median of {runs} alternating rounds of {posts} posts per process; "
        f"process start-up not counted; load average {os.getloadavg()[0]:.2f} when done"
    )


def _throughput(url: str, slugs: list[str], posts: int) -> float:
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.concurrency_bench", url, slug, str(posts)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for slug in slugs
    ]
    for worker in workers:
        assert worker.stdout is not None
        if worker.stdout.readline().strip() != "ready":
            raise RuntimeError("a benchmark writer failed to start")
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.close()
    spans = []
    for worker in workers:
        assert worker.stdout is not None
        output = worker.stdout.read()
        if worker.wait() != 0:
            raise RuntimeError(f"a benchmark writer failed with exit code {worker.returncode}")
        start, end = map(float, output.split())
        spans.append((start, end))
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return len(slugs) * posts / elapsed


def _work(url: str, slug: str, posts: int) -> None:
    app = bootstrap(url).app
    try:
        app.get_story(slug)  # connect and warm up before the start line
        print("ready", flush=True)
        sys.stdin.readline()
        start = time.monotonic()
        for _ in range(posts):
            app.post_update(slug, TITLE, BODY, editor=EDITOR)
        print(start, time.monotonic(), flush=True)
    finally:
        app.close()


if __name__ == "__main__":
    _url, _slug, _posts = sys.argv[1:]
    _work(_url, _slug, int(_posts))
