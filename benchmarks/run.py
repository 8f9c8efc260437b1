"""Runs every benchmark, prints the table and writes benchmarks/results/latest.md and growth.png.

    python -m benchmarks.run [--quick] [--sizes N ...] [--only STEP ...] [--stores sqlite postgresql]

SQLite always; PostgreSQL too where NEWSROOM_TEST_POSTGRES is set. A missed target is a finding,
not a failure: the exit code is 1 only when a benchmark could not run.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

from benchmarks import report
from benchmarks.plan import FULL, QUICK
from benchmarks.results_file import RESULTS, commit_note, context, current_commit, merged
from benchmarks.steps import STEPS, run, run_in_parts
from benchmarks.stores import POSTGRES, SQLITE, available_backends


def _plan_options(args: argparse.Namespace) -> list[str]:
    """The options that choose the plan, for a run of one part."""
    options = ["--quick"] if args.quick else []
    for flag, values in (("--sizes", args.sizes), ("--store-sizes", args.store_sizes)):
        if values:
            options += [flag, *map(str, values)]
    return options


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: proves every benchmark still runs")
    parser.add_argument(
        "--sizes", type=int, nargs="+", metavar="N", help="events in the long story, for the growth curves"
    )
    parser.add_argument(
        "--store-sizes",
        type=int,
        nargs="+",
        metavar="N",
        help="events in the store for the rebuild (each) and the audit (the largest)",
    )
    parser.add_argument("--only", nargs="+", choices=[s.name for s in STEPS], metavar="STEP")
    parser.add_argument(
        "--stores", nargs="+", choices=[SQLITE, POSTGRES], help="default: every one available"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"where results go (default {RESULTS})")
    parser.add_argument("--outcome", type=Path, help=argparse.SUPPRESS)  # see run_in_parts
    args = parser.parse_args(argv)

    plan = QUICK if args.quick else FULL
    if args.sizes:
        plan = replace(plan, story_sizes=sorted(args.sizes))
    if args.store_sizes:
        plan = replace(plan, rebuild_sizes=sorted(args.store_sizes), audit_events=max(args.store_sizes))
    stores = [s for s in available_backends() if not args.stores or s in args.stores]
    commit = current_commit()
    started = time.perf_counter()
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    if args.outcome:
        args.outcome.write_bytes(pickle.dumps(run(plan, stores, args.only, log=log)))
        return 0
    if plan.quick:
        outcome = run_in_parts(_plan_options(args), stores, args.only)
    else:
        outcome = run(plan, stores, args.only, log=log)
    elapsed = time.perf_counter() - started

    found = outcome.findings
    print(report.table(found.rows))
    args.out.mkdir(parents=True, exist_ok=True)
    notes = [*found.notes, *(f"FAILED: {failure}" for failure in outcome.failures)]
    text = report.markdown(
        "Benchmark results",
        context(plan, stores, elapsed, commit_note(commit)),
        found.rows,
        found.series,
        notes,
    )
    latest = args.out / "latest.md"
    old = latest.read_text(encoding="utf-8") if latest.exists() else ""
    latest.write_text(merged(old, text, args.only), encoding="utf-8")
    # The plot is the full run's: a run of some steps keeps it, as it keeps the full run's table.
    plotted = not args.only and report.plot(args.out / "growth.png", found.series)
    if plotted:
        print(f"\nwrote {args.out / 'latest.md'} and {args.out / 'growth.png'}")
    else:
        reason = (
            "a run of some steps keeps the full run's"
            if args.only
            else "nothing grew"
            if not found.series
            else "install matplotlib: pip install -e '.[bench]'"
        )
        print(f"\nwrote {args.out / 'latest.md'} (no plot: {reason})")
    for failure in outcome.failures:
        print(f"\nFAILED: {failure}", file=sys.stderr)
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())
