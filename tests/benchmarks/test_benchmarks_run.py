"""The benchmark suite still runs: quick mode, tiny sizes, every row produced. Timings are never asserted."""

from __future__ import annotations

from pathlib import Path

from tests.benchmarks.processes import POSTGRES, available_stores, run_benchmark

ROWS_ON_EVERY_STORE = [
    "one write command in process",
    "a write command on a story with",
    "a write command as a whole process",
    "reading the live page of a story with",
    "the page at a past version of a",
    "rebuilding both projections over",
    "audit verify of the store",
    "a signed write command in process",
    "audit verify of a store whose every event is signed",
    "raw SELECT of the events table",
    "serving GET /stories/SLUG of a",
    "a 304 revalidation of that page",
    "p99 push delay, commit to receipt",
    "load: ",
    "origin requests/s behind Varnish",
    "p99 staleness through Varnish",
    "p99 push delay through Varnish",
    "a write command as a process vs a bare-library write process",
    "a read command as a process: `newsroom page` of a",
    "a read command as a process (stretch): `newsroom story list`",
    "a read command as a process right after a write: `newsroom page` of a",
    "storage per post vs a bare-library store of the same posts",
    "storage per post vs a bare-library store plus a plain page table",
]
ROWS_ON_SQLITE = ["a read on a read-only store whose read models lag"]
ROWS_ON_POSTGRES = ["4 processes posting to 4 stories at once"]


def test_quick_mode_runs_every_benchmark_and_writes_every_row(tmp_path: Path) -> None:
    run_benchmark("benchmarks.run", "--quick", "--out", str(tmp_path))

    lines = (tmp_path / "latest.md").read_text(encoding="utf-8").splitlines()
    stores = available_stores()
    for figure in ROWS_ON_EVERY_STORE + ROWS_ON_SQLITE + (ROWS_ON_POSTGRES if POSTGRES in stores else []):
        on = (
            stores
            if figure in ROWS_ON_EVERY_STORE
            else ["sqlite"]
            if figure in ROWS_ON_SQLITE
            else [POSTGRES]
        )
        for store in on:
            assert any(line.startswith(f"| {figure}") and f"| {store} |" in line for line in lines), (
                figure,
                store,
            )
