"""Replicas on this machine: replica lag (commit on the primary to visible on the replica, and to a
read model via a follower of the replica vs of the primary), the write ceiling of one primary with
1, 2, 4 and 8 writer processes, and page reads served by the replica alongside the primary.

Makes its own primary and streaming replica (tests/support/replica.py) and deletes them after.
`python -m benchmarks.replica_bench [--quick]` prints a Markdown section.
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from infrastructure.bootstrap import bootstrap
from tests.support import replica
from tests.support.postgres import postgres_schema

WRITE_SECONDS = 3.0


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def replica_lag(primary: str, standby: str, samples: int) -> tuple[float, float]:
    """Commit of one post on the primary to its notification visible on the replica (ms)."""
    services = bootstrap(primary, read_url=standby)
    try:
        app, reader = services.app, services.reader
        app.open_story("lag", "Lag", editor="bench")
        lags = []
        for number in range(samples):
            app.post_update("lag", f"T{number}", "Body.", editor="bench")
            target = app.recorder.max_notification_id() or 0
            started = time.perf_counter()
            while (reader.recorder.max_notification_id() or 0) < target:
                time.sleep(0.0002)
            lags.append((time.perf_counter() - started) * 1000)
        return statistics.median(lags), _percentile(lags, 0.99)
    finally:
        services.close()


def follower_lag(primary: str, read_url: str | None, samples: int, slug: str) -> tuple[float, float]:
    """Commit of one post to the live page updated by a follower (ms), following `read_url` or the primary."""
    services = bootstrap(primary, read_url=read_url)
    writer = bootstrap(primary)
    stop = threading.Event()
    try:
        writer.app.open_story(slug, slug, editor="bench")
        runner = services.runner
        runner.catch_up()
        following = threading.Thread(target=runner.follow, args=(stop,), daemon=True)
        following.start()
        lags = []
        for number in range(samples):
            writer.app.post_update(slug, f"T{number}", "Body.", editor="bench")
            target = writer.app.recorder.max_notification_id() or 0
            started = time.perf_counter()
            while runner.position() < target:
                time.sleep(0.001)
            lags.append((time.perf_counter() - started) * 1000)
        return statistics.median(lags), _percentile(lags, 0.99)
    finally:
        stop.set()
        following.join(30)
        services.close()
        writer.close()


def _writer(url: str, slug: str, seconds: float, ready: Any, go: Any, counts: Any) -> None:
    services = bootstrap(url)
    app = services.app
    app.open_story(slug, slug, editor="bench")
    app.post_update(slug, "Warm-up", "Body.", editor="bench")
    ready.put(slug)
    go.wait(120)
    posted, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        app.post_update(slug, "T", "Body.", editor="bench")
        posted += 1
    counts.put(posted / (time.monotonic() - started))
    services.close()


def write_ceiling(primary: str, writers: int, seconds: float) -> float:
    """Posts a second across `writers` processes started together, each posting to its own live blog."""
    ready, counts, go = multiprocessing.Queue(), multiprocessing.Queue(), multiprocessing.Event()
    processes = [
        multiprocessing.Process(
            target=_writer, args=(primary, f"blog-{writers}-{n}", seconds, ready, go, counts)
        )
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=120)
    go.set()
    total = sum(counts.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(60)
    return float(total)


def page_reads(urls: list[str], primary: str, seconds: float) -> float:
    """Page reads a second with one reader thread per URL (read models replicated to each)."""
    done: list[int] = [0] * len(urls)

    def read(index: int, url: str) -> None:
        services = bootstrap(primary, views_url=url)
        queries, deadline = services.queries, time.monotonic() + seconds
        while time.monotonic() < deadline:
            queries.page("lag")
            done[index] += 1
        services.close()

    threads = [threading.Thread(target=read, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def _timed(label: str, measure: Callable[[], object]) -> object:
    print(f"  measuring {label}...", file=sys.stderr)
    return measure()


def main(quick: bool) -> None:
    samples, seconds = (20, 1.0) if quick else (300, WRITE_SECONDS)
    pair = replica.start()
    try:
        with postgres_schema(pair.primary_url, prefix="b") as primary:
            schema = primary.split("schema=")[1]
            standby = f"{pair.replica_url}?schema={schema}"
            p50, p99 = _timed("replica lag", lambda: replica_lag(primary, standby, samples))  # type: ignore[misc]
            r50, r99 = _timed(
                "follower of replica", lambda: follower_lag(primary, standby, samples, "of-replica")
            )  # type: ignore[misc]
            f50, f99 = _timed(
                "follower of primary", lambda: follower_lag(primary, None, samples, "of-primary")
            )  # type: ignore[misc]
            ceilings = {n: write_ceiling(primary, n, seconds) for n in (1, 2, 4, 8)}
            bootstrap(primary).caught_up()
            time.sleep(0.5)
            alone = page_reads([primary, primary], primary, seconds)
            offload = page_reads([primary, standby], primary, seconds)
    finally:
        replica.stop(pair.folder)
    print("## Replicas (`python -m benchmarks.replica_bench`)\n")
    print("| figure | p50 | p99 |\n|---|---:|---:|")
    print(f"| commit on the primary to visible on the replica | {p50:.2f} ms | {p99:.2f} ms |")
    print(f"| commit to live page via a follower of the replica (50 ms poll) | {r50:.1f} ms | {r99:.1f} ms |")
    print(f"| commit to live page via a follower of the primary (NOTIFY) | {f50:.1f} ms | {f99:.1f} ms |")
    print(f"\nSamples: {samples} posts each.\n")
    print("| writer processes | posts/s (one primary, each writer its own live blog) |\n|---:|---:|")
    for writers, rate in ceilings.items():
        print(f"| {writers} | {rate:,.0f} |")
    print("\n| page reads (2 reader threads) | reads/s |\n|---|---:|")
    print(f"| both on the primary | {alone:,.0f} |")
    print(f"| one on the primary, one on the replica | {offload:,.0f} |")


if __name__ == "__main__":
    main("--quick" in sys.argv)
