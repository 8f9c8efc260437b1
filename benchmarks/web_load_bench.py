"""The readers' web under load: stream readers and page fetches at a steady rate on loopback while
an editor posts each second."""

from __future__ import annotations

import threading
import time

import httpx

from benchmarks.rows import Findings, Row
from benchmarks.stores import fresh_store
from benchmarks.web_readers import Push, Readers, delays, settle
from benchmarks.web_servers import EDITOR, long_story, newsroom_serve, story_version

LOAD = "load: {readers:,} stream readers + {rate} page fetches/s while an editor posts"


def load_run(backend: str, readers: int, rate: int, seconds: float) -> Findings:
    """Stream readers and page fetches at `rate` a second on loopback while an editor posts each second."""
    from infrastructure.bootstrap import bootstrap

    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            long_story(app, "load", 50)
            with newsroom_serve(store.url) as base:
                return load_rows(backend, app, base, readers, rate, seconds)
        finally:
            app.close()


def load_rows(backend: str, app: object, base: str, readers: int, rate: int, seconds: float) -> Findings:
    """The load run on the story "load" of `newsroom serve` at `base`, an editor posting with `app`."""
    with Readers(f"{base}/stories/load/live", readers) as crowd:
        fetches: list[float] = []
        failures: list[str] = []
        stop = threading.Event()
        fetcher = threading.Thread(
            target=_fetch, args=(f"{base}/stories/load", rate, stop, fetches, failures)
        )
        fetcher.start()
        sent: dict[int, float] = {}
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            app.post_update("load", "Load", "Under load.", editor=EDITOR)  # type: ignore[attr-defined]
            sent[story_version(app, "load")] = time.perf_counter()
            time.sleep(1.0)
        stop.set()
        fetcher.join(30)
        settle(crowd.receipts, readers, sent)
        push = Push(delays(crowd.receipts, sent), readers * len(sent))
    achieved = len(fetches) / seconds
    fetched = Push(fetches, len(fetches))
    note = (
        f"{seconds:g} s; {len(sent)} posts, each to {push.delivered:.1%} of the readers; push p50 "
        f"{push.percentile(0.5) * 1e3:.0f} ms, p99 {push.percentile(0.99) * 1e3:.0f} ms; "
        f"{len(fetches)} page fetches ({achieved:.0f}/s), p50 {fetched.percentile(0.5) * 1e3:.0f} ms, "
        f"p99 {fetched.percentile(0.99) * 1e3:.0f} ms; "
        f"{len(failures) + len(crowd.receipts.failures)} failures"
    )
    return Findings(
        rows=[
            Row(
                LOAD.format(readers=readers, rate=rate),
                backend,
                push.delivered * 100,
                "% delivered",
                note=note,
            )
        ]
    )


def _fetch(url: str, rate: int, stop: threading.Event, times: list[float], failures: list[str]) -> None:
    """GETs `url` `rate` times a second (as closely as one client can) until stopped."""
    with httpx.Client(timeout=10) as client:
        next_at = time.monotonic()
        while not stop.is_set():
            started = time.perf_counter()
            try:
                client.get(url).raise_for_status()
                times.append(time.perf_counter() - started)
            except httpx.HTTPError as error:
                failures.append(repr(error))
            next_at += 1 / rate
            delay = next_at - time.monotonic()
            if delay > 0:
                stop.wait(delay)
