"""The projections benchmark still runs (a tiny version of it; the figures are not checked here)."""

from __future__ import annotations

from benchmarks.projections_bench import run


def test_the_projections_benchmark_measures_both_figures_against_their_baselines() -> None:
    figures = run(events=1000, updates=20, runs=1)

    assert [f.unit for f in figures] == ["ms", "events/s"]
    assert all(f.ours > 0 and f.baseline > 0 for f in figures)
