"""Four processes posting to four stories at once, beside one process posting alone (PostgreSQL).

Run as a worker: `python -m benchmarks.concurrency_bench URL SLUG POSTS`. A worker opens the store,
prints "ready", waits for a line on stdin, posts, then prints its start and end on the monotonic clock
(system-wide on Linux), so start-up is not counted and the runs of several workers line up, and what
its posts cost: its own CPU seconds, its PostgreSQL backend's (read from /proc where the server runs
on this machine) and the seconds spent in the library's insert (on PostgreSQL: the table lock, the
insert and the commit), so the note says what bounds the ratio: the cores, or the lock.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.rows import Findings, Row, at_least
from benchmarks.stores import POSTGRES, fresh_store
from benchmarks.stories import BODY, EDITOR, TITLE
from infrastructure.bootstrap import bootstrap
from infrastructure.store import parse_url

ROOT = Path(__file__).parents[1]
FIGURE = "4 processes posting to 4 stories at once"
WRITERS = 4


@dataclass(frozen=True)
class Run:
    """One round of writers: posts per second, and per post (ms) the wall time of one writer, the
    writers' CPU, their PostgreSQL backends' CPU (None where the server is not on this machine)
    and the time in the library's insert."""

    rate: float
    wall: float
    cpu: float
    backend_cpu: float | None
    insert: float

    @property
    def busy_cores(self) -> float | None:
        """Cores the writers and their backends kept busy, on average."""
        return None if self.backend_cpu is None else (self.cpu + self.backend_cpu) * self.rate / 1e3

    def line(self, writers: int) -> str:
        backend = "" if self.backend_cpu is None else f" + {self.backend_cpu:.2f} ms (PostgreSQL backend)"
        cores = "" if self.busy_cores is None else f", {self.busy_cores:.2f} cores busy"
        return (
            f"{writers} writer{'s' * (writers > 1)}: {self.wall:.2f} ms a post each, CPU {self.cpu:.2f} ms "
            f"(Python){backend}, {self.insert:.2f} ms in the insert{cores}"
        )


def concurrent_writers(runs: int, posts: int, backend: str = POSTGRES) -> Findings:
    """Median throughput (posts/s) of 4 writers at once and of 1 alone, in alternating rounds."""
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            together: list[Run] = []
            alone: list[Run] = []
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
        statistics.median(r.rate for r in together),
        "/s",
        statistics.median(r.rate for r in alone),
        "1 process posting alone",
        at_least(1.6) if backend == POSTGRES else None,
        _note(backend, runs, posts, _median_run(alone), _median_run(together)),
    )
    return Findings(rows=[row])


def _median_run(runs: list[Run]) -> Run:
    backend = [r.backend_cpu for r in runs if r.backend_cpu is not None]
    return Run(
        statistics.median(r.rate for r in runs),
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(backend) if len(backend) == len(runs) else None,
        statistics.median(r.insert for r in runs),
    )


def _note(backend: str, runs: int, posts: int, alone: Run, together: Run) -> str:
    comparison = "" if backend == POSTGRES else "for comparison: SQLite takes one writer at a time; "
    return (
        f"{comparison}posts per second; median of {runs} alternating rounds of {posts} posts per process; "
        f"process start-up not counted; {alone.line(1)}; {together.line(WRITERS)}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} when done"
    )


def _throughput(url: str, slugs: list[str], posts: int) -> Run:
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
    reports = []
    for worker in workers:
        assert worker.stdout is not None
        output = worker.stdout.read()
        if worker.wait() != 0:
            raise RuntimeError(f"a benchmark writer failed with exit code {worker.returncode}")
        reports.append([float(word) if word != "None" else None for word in output.split()])
    elapsed = max(r[1] for r in reports) - min(r[0] for r in reports)  # type: ignore[type-var, operator]
    count = len(slugs) * posts
    backend = [r[3] for r in reports]
    per_post = 1e3 / count
    return Run(
        rate=count / elapsed,
        wall=elapsed * 1e3 * len(slugs) / count,
        cpu=sum(r[2] for r in reports) * per_post,  # type: ignore[misc]
        backend_cpu=None if None in backend else sum(backend) * per_post,  # type: ignore[arg-type]
        insert=sum(r[4] for r in reports) * per_post,  # type: ignore[misc]
    )


def _work(url: str, slug: str, posts: int) -> None:
    app = bootstrap(url).app
    try:
        app.get_story(slug)  # connect and warm up before the start line
        backend = _backend_process(app.recorder) if parse_url(url).backend == POSTGRES else None
        inserting = _InsertTimer(app.recorder)
        print("ready", flush=True)
        sys.stdin.readline()
        backend_cpu, cpu, start = _cpu_seconds(backend), time.process_time(), time.monotonic()
        for _ in range(posts):
            app.post_update(slug, TITLE, BODY, editor=EDITOR)
        end, cpu = time.monotonic(), time.process_time() - cpu
        after = _cpu_seconds(backend)
        used = None if after is None or backend_cpu is None else after - backend_cpu
        print(start, end, cpu, used, inserting.seconds, flush=True)
    finally:
        app.close()


class _InsertTimer:
    """Times the recorder's `insert_events` (wrapped on this one recorder object)."""

    def __init__(self, recorder: Any) -> None:
        self.seconds = 0.0
        insert = recorder.insert_events

        def timed_insert(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return insert(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        recorder.insert_events = timed_insert


def _backend_process(recorder: Any) -> int | None:
    """The process id of the PostgreSQL backend serving this writer (its pool keeps one
    connection), if that process is on this machine."""
    with recorder.datastore.get_connection() as connection:
        pid = int(connection.execute("SELECT pg_backend_pid() AS pid").fetchone()["pid"])
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _cpu_seconds(pid: int | None) -> float | None:
    """User and system CPU seconds of process `pid` so far (Linux /proc)."""
    if pid is None:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    _url, _slug, _posts = sys.argv[1:]
    _work(_url, _slug, int(_posts))
