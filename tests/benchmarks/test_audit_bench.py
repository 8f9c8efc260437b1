"""The audit benchmark still runs: tiny sizes, every row produced. Timings are never asserted."""

from __future__ import annotations

from tests.benchmarks.processes import available_stores, run_benchmark

FIGURES = [
    "audit verify of the store",
    "audit verify, every event by the transcoder's path",
    "audit export (JSON lines written)",
    "audit verify --export (no database)",
    "newsroom log of every event",
]


def test_a_tiny_run_prints_every_audit_rate() -> None:
    printed = run_benchmark("benchmarks.audit_bench", "--events", "300", "--runs", "1")

    for figure in FIGURES:
        for store in available_stores():
            assert f"{figure} on {store}: " in printed, (figure, store)
