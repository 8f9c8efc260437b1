"""The readers' web: serving a long story's page, pushing changes to stream readers, and a load run.

    python -m benchmarks.web_bench [--quick] [--stores sqlite postgresql]

Every figure is measured over loopback against a baseline in the same run: the page beside a bare
Starlette endpoint returning the same bytes (both under uvicorn in this process); the push delay
(from an editor's commit to a reader's receipt) beside a bare sse-starlette broadcast of the same
messages to the same number of readers, where the delay runs from the moment of broadcasting.
Readers are asyncio clients in a thread of this process; the server under test is `newsroom
serve` in its own process, the bare broadcaster likewise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from benchmarks.rows import Findings
from benchmarks.stores import fresh_store
from benchmarks.web_load_bench import load_rows, load_run
from benchmarks.web_page_bench import bare_page, page_rows, page_serving
from benchmarks.web_paging_bench import first_page_rows
from benchmarks.web_push_bench import bare_broadcaster, push_latency, push_ours_at, push_row
from benchmarks.web_servers import EDITOR, long_story, newsroom_serve


def quick_web_rows(backend: str) -> Findings:
    """Quick mode: every web row at the smallest size, the three on one store and one `newsroom
    serve` (the full run gives each its own store and server): a 20-update page, 5 requests, 2
    stream readers of 1 post, a 1-second load run with 2 readers and 2 fetches a second."""
    from infrastructure.bootstrap import bootstrap

    found = Findings()
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            long_story(app, "long", 20)
            app.open_story("push", "Pushed", editor=EDITOR)
            app.publish_story("push", editor=EDITOR)
            long_story(app, "load", 5)
            with newsroom_serve(store.url) as base:
                found.extend(page_rows(backend, base, Path(store.folder), 20, 1, 5))
                ours = push_ours_at(app, base, 2, 1, 0.1)
                found.rows.append(push_row(backend, 2, 1, 0.1, ours))
                found.extend(load_rows(backend, app, base, 2, 2, 1))
        finally:
            app.close()
    return found


def web_rows(backend: str, *, quick: bool) -> Findings:
    """Every web row for the runner: page serving, push latency, and (full runs) the load run."""
    found = Findings()
    if quick:
        found.extend(quick_web_rows(backend))
        found.extend(first_page_rows(backend, 20, 40, 1))
    else:
        found.extend(page_serving(backend, 2_000, 5, 200))
        found.extend(first_page_rows(backend, 20, 2_000, 9))
        found.extend(push_latency(backend, [200, 1_000], posts=10, interval=1.0))
        found.extend(load_run(backend, readers=200, rate=50, seconds=20))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.web_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--stores", nargs="+", default=None)
    parser.add_argument("--bare-broadcaster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-page", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_broadcaster:
        bare_broadcaster()
        return 0
    if args.bare_page:
        bare_page(args.bare_page)
        return 0
    from benchmarks import report
    from benchmarks.results_file import RESULTS, current_commit
    from benchmarks.stores import available_backends

    started = time.perf_counter()
    rows = []
    for backend in args.stores or available_backends():
        rows += web_rows(backend, quick=args.quick).rows
    print(report.table(rows))
    print(report.row_notes(rows))
    if not args.quick:
        context = [
            f"Measured at commit {current_commit()} in {time.perf_counter() - started:.0f} s on "
            f"{os.cpu_count()} cores shared with other work "
            f"(load average at the end {os.getloadavg()[0]:.2f}); "
            "`python -m benchmarks.web_bench`.",
        ]
        text = report.markdown("Readers' web", context, rows, [], [])
        (RESULTS / "web.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
