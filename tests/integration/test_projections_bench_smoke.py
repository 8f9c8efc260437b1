"""The projections benchmark still runs (a tiny version of it; the figures are not checked here)."""

from __future__ import annotations

import re

from tests.benchmarks.processes import run_benchmark

FIGURE = re.compile(r"ours +(?P<ours>[\d.]+) (?P<unit>\S+) +baseline +[\d.]+ \S+ +ratio +(?P<ratio>[\d.]+)")


def test_the_projections_benchmark_measures_both_figures_against_their_baselines() -> None:
    printed = run_benchmark(
        "benchmarks.projections_bench", "--events", "1000", "--updates", "20", "--runs", "1"
    )

    figures = [m.groupdict() for m in FIGURE.finditer(printed)]
    assert [f["unit"] for f in figures] == ["ms", "events/s"]
    # A ratio is ours over the baseline, so a positive one means both were measured.
    assert all(float(f["ours"]) > 0 and float(f["ratio"]) > 0 for f in figures)
