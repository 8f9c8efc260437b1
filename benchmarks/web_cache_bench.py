"""The readers' web behind the real Varnish (deploy/varnish/newsroom.vcl), purged by the events.

Readers poll `/api/stories/SLUG/changes?after=V` every 2 s (as the live page does without a
stream) and page fetchers get the story page every 2 s, through Varnish, while an editor posts
every 2 s. Reported: the requests per second that reach the origin as readers grow (Varnish's
`MAIN.backend_req`), whether every reader saw every update, the staleness (from the commit to a
reader's first sight of it), and the push delay to stream readers through Varnish beside direct.
Clients are asyncio connections in a thread of this process (bare HTTP/1.1 keep-alive, so the
clients cost less than the cache they measure); the server and Varnish run in processes of their own.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from benchmarks.rows import Findings, Row, at_most
from benchmarks.stores import fresh_store
from benchmarks.web_push_bench import push_ours_at
from benchmarks.web_readers import InTheirOwnLoop, Push
from benchmarks.web_servers import EDITOR, long_story, server_process, story_version

ORIGIN = "origin requests/s behind Varnish: {readers:,} readers polling changes + {pages} page fetchers"
STALENESS = "p99 staleness through Varnish: {readers:,} readers polling changes every 2 s"
PUSH = "p99 push delay through Varnish, {readers:,} stream readers"
POLL_SECONDS = 2.0
POST_SECONDS = 2.0
MAX_AGE = 2
SLUG = "cached"


@dataclass
class Sightings:
    """When each reader first saw each version (perf_counter), and what went wrong."""

    first_seen: list[dict[int, float]] = field(default_factory=list)
    requests: int = 0
    failures: list[str] = field(default_factory=list)


@contextmanager
def served_behind_varnish(url: str, workdir: Path) -> Iterator[tuple[str, str, object]]:
    """`newsroom serve` purging a Varnish in front of it: (origin, cache address, the Varnish)."""
    from tests.cache.varnish import free_port, varnish

    port = free_port()
    command = [
        sys.executable,
        "-m",
        "cli",
        "--db",
        url,
        "serve",
        "--port",
        "0",
        "--cache-max-age",
        str(MAX_AGE),
    ]
    command += ["--cache-purge", f"http://127.0.0.1:{port}/"]
    with server_process(command, "newsroom serve") as (_, origin):
        origin_port = int(origin.rsplit(":", 1)[1])
        with varnish(workdir, [origin_port], port=port) as cache:
            yield origin, cache.base, cache


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, bytes]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: gzip\r\n\r\n".encode())
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {
        name.lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:] if line)
    }
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    else:  # chunked
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        await reader.readexactly(2)
        body = b"".join(parts)
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return status, body


async def _poller(
    port: int, after: int, seen: dict[int, float], stop: asyncio.Event, found: Sightings
) -> None:
    """Polls the changes after the last version seen every 2 s, noting when each version came."""
    await asyncio.sleep(random.uniform(0, POLL_SECONDS))
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    next_at = time.monotonic()
    while not stop.is_set():
        try:
            status, body = await _get(reader, writer, f"/api/stories/{SLUG}/changes?after={after}")
            found.requests += 1
            if status == 200:
                answer = json.loads(body)
                now = time.perf_counter()
                for change in answer["changes"]:
                    seen.setdefault(change["version"], now)
                after = answer["version"]
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            found.failures.append(repr(error))
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        next_at += POLL_SECONDS
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    writer.close()


async def _page_fetcher(port: int, stop: asyncio.Event, found: Sightings) -> None:
    await asyncio.sleep(random.uniform(0, POLL_SECONDS))
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while not stop.is_set():
        try:
            await _get(reader, writer, f"/stories/{SLUG}")
            found.requests += 1
        except (OSError, asyncio.IncompleteReadError) as error:
            found.failures.append(repr(error))
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(POLL_SECONDS)
    writer.close()


class Crowd(InTheirOwnLoop):
    """Pollers and page fetchers on the cache, in their own event loop in a thread."""

    def __init__(self, port: int, readers: int, pages: int, after: int) -> None:
        super().__init__()
        self.port, self.readers, self.pages, self.after = port, readers, pages, after
        self.found = Sightings(first_seen=[{} for _ in range(readers)])

    def __enter__(self) -> Crowd:
        self._start()
        return self

    async def _run(self) -> None:
        tasks = [
            _poller(self.port, self.after, seen, self._stop, self.found) for seen in self.found.first_seen
        ]
        tasks += [_page_fetcher(self.port, self._stop, self.found) for _ in range(self.pages)]
        await asyncio.gather(*tasks, return_exceptions=True)


def cache_rows(
    backend: str, reader_counts: list[int], pages: int, seconds: float, push_readers: int, posts: int
) -> Findings:
    """Origin load and staleness for each reader count, then the push delay through Varnish and direct."""
    from infrastructure.bootstrap import bootstrap

    found = Findings()
    origin_rates: list[float] = []
    with fresh_store(backend) as store, TemporaryDirectory() as workdir:
        app = bootstrap(store.url).app
        try:
            long_story(app, SLUG, 20)
            app.open_story("push", "Pushed", editor=EDITOR)
            app.publish_story("push", editor=EDITOR)
            with served_behind_varnish(store.url, Path(workdir) / "varnish") as (origin, cache_base, cache):
                for readers in reader_counts:
                    rate, row, staleness = _load(backend, app, cache, readers, pages, seconds)
                    baseline = origin_rates[0] if origin_rates else None
                    origin_rates.append(rate)
                    found.rows.append(
                        Row(
                            ORIGIN.format(readers=readers, pages=pages),
                            backend,
                            rate,
                            "req/s",
                            baseline,
                            f"the same at {reader_counts[0]:,} readers",
                            at_most(1.5) if baseline else None,
                            row,
                        )  # fmt: skip
                    )
                    found.rows.append(
                        Row(
                            STALENESS.format(readers=readers),
                            backend,
                            staleness,
                            "s",
                            MAX_AGE + POLL_SECONDS,
                            f"the max-age ({MAX_AGE} s) + 2 s",
                            at_most(1.0),
                            row,
                        )  # fmt: skip
                    )
                through = push_ours_at(app, cache_base, push_readers, posts, 1.0)
                direct = push_ours_at(app, origin, push_readers, posts, 1.0)
                found.rows.append(
                    Row(
                        PUSH.format(readers=push_readers),
                        backend,
                        through.percentile(0.99),
                        "s",
                        direct.percentile(0.99),
                        "the same readers on the origin directly",
                        at_most(1.5),
                        f"{posts} posts 1 s apart; p50 {through.percentile(0.5) * 1e3:.0f} ms via Varnish,"
                        " "
                        f"{direct.percentile(0.5) * 1e3:.0f} ms direct; delivered {through.delivered:.1%} "
                        f"through, {direct.delivered:.1%} direct",
                    )  # fmt: skip
                )
        finally:
            app.close()
    return found


def _load(
    backend: str, app: object, cache: object, readers: int, pages: int, seconds: float
) -> tuple[float, str, float]:
    """One run: (origin requests/s, the note, the p99 staleness in seconds)."""
    port = int(cache.base.rsplit(":", 1)[1])  # type: ignore[attr-defined]
    after = story_version(app, SLUG)
    sent: dict[int, float] = {}
    with Crowd(port, readers, pages, after) as crowd:
        time.sleep(POLL_SECONDS)  # every client started
        origin_before = cache.backend_requests()  # type: ignore[attr-defined]
        requests_before = crowd.found.requests
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            app.post_update(SLUG, "Cached", "Seen through the cache.", editor=EDITOR)  # type: ignore[attr-defined]
            sent[story_version(app, SLUG)] = time.perf_counter()
            time.sleep(POST_SECONDS)
        elapsed = time.monotonic() - started
        origin_rate = (cache.backend_requests() - origin_before) / elapsed  # type: ignore[attr-defined]
        client_rate = (crowd.found.requests - requests_before) / elapsed
        deadline = time.monotonic() + MAX_AGE + 2 * POLL_SECONDS + 5
        while time.monotonic() < deadline and not _all_seen(crowd.found, sent):
            time.sleep(0.2)
    seen = crowd.found.first_seen
    complete = sum(1 for r in seen if all(v in r for v in sent)) / len(seen)
    staleness = Push([r[v] - t for r in seen for v, t in sent.items() if v in r], len(seen) * len(sent))
    note = (
        f"{elapsed:.0f} s, {len(sent)} posts {POST_SECONDS:g} s apart, max-age {MAX_AGE} s; clients "
        f"{client_rate:.0f} req/s, origin {origin_rate:.1f} req/s "
        f"({origin_rate / max(client_rate, 1e-9):.1%}); "
        f"{complete:.1%} of readers saw every update; staleness p50 {staleness.percentile(0.5):.2f} s, "
        f"p99 {staleness.percentile(0.99):.2f} s; {len(crowd.found.failures)} failures"
    )
    return origin_rate, note, staleness.percentile(0.99)


def _all_seen(found: Sightings, sent: dict[int, float]) -> bool:
    return all(v in seen for seen in found.first_seen for v in sent)


def web_cache_rows(backend: str, *, quick: bool) -> Findings:
    """Quick: 5 readers and 2 page fetchers for 4 s, 2 stream readers of 2 posts; full: 200, 1,000
    and 2,000 readers with 200 page fetchers for 20 s each, 200 stream readers of 10 posts."""
    if quick:
        return cache_rows(backend, [5], 2, 4.0, 2, 2)
    return cache_rows(backend, [200, 1_000, 2_000], 200, 20.0, 200, 10)


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.web_cache_bench [--quick] [--stores ...]`: the full run writes
    benchmarks/results/cache.md."""
    import argparse
    import os

    from benchmarks import report
    from benchmarks.results_file import RESULTS, current_commit
    from benchmarks.stores import available_backends

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.web_cache_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--stores", nargs="+", default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = []
    for backend in args.stores or available_backends():
        rows += web_cache_rows(backend, quick=args.quick).rows
    print(report.table(rows))
    print(report.row_notes(rows))
    if not args.quick:
        context = [
            f"Measured at commit {current_commit()} in {time.perf_counter() - started:.0f} s on "
            f"{os.cpu_count()} cores shared with other work (load average at the end "
            f"{os.getloadavg()[0]:.2f}); `python -m benchmarks.web_cache_bench`.",
        ]
        (RESULTS / "cache.md").write_text(
            report.markdown("Behind Varnish", context, rows, [], []), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
