"""Runs every benchmark, prints the table and writes benchmarks/results/latest.md and growth.png.

    python -m benchmarks.run [--quick] [--sizes N ...] [--only STEP ...] [--stores sqlite postgresql]

SQLite always; PostgreSQL too where NEWSROOM_TEST_POSTGRES is set. A missed target is a finding,
not a failure: the exit code is 1 only when a benchmark could not run.
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from tempfile import TemporaryDirectory

from benchmarks import report
from benchmarks.processes import bytecode_cached
from benchmarks.rows import Findings
from benchmarks.stores import POSTGRES, SQLITE, available_backends

ROOT = Path(__file__).parents[1]
RESULTS = ROOT / "benchmarks" / "results"
KEPT = "<!-- Sections below this line are kept by benchmarks.run: measured apart or by --only runs. -->"


def merged(old: str, new: str, only: list[str] | None) -> str:
    """latest.md after a run: a whole run rewrites what is above KEPT and keeps what is below it;
    a run with --only keeps all of the old text and puts its own section below KEPT, replacing the
    section of an earlier run of the same steps."""
    head, marker, tail = old.partition(KEPT)
    if not marker:
        head, tail = old, ""
    if not only:
        return new if not tail.strip() else f"{new}\n{KEPT}\n\n{tail.strip(chr(10))}\n"
    name = " ".join(only)
    begin, end = f"<!-- begin --only {name} -->", f"<!-- end --only {name} -->"
    body = new.replace("# Benchmark results", f"## `--only {name}`", 1).replace("\n## ", "\n### ")
    section = f"{begin}\n{body.rstrip()}\n{end}\n"
    if begin in tail and end in tail:
        before, _, rest = tail.partition(begin)
        tail = before + section + rest.partition(end)[2]
    else:
        tail = tail.rstrip() + "\n\n" + section
    return f"{head.rstrip()}\n\n{KEPT}\n\n{tail.strip(chr(10))}\n" if old else section


@dataclass(frozen=True)
class Plan:
    """The sizes of the work and how often each measurement is repeated."""

    quick: bool
    story_sizes: list[int] = field(default_factory=lambda: [1_000, 2_500, 5_000, 10_000])
    write_runs: int = 200
    long_story_runs: int = 15
    process_runs: int = 15
    time_travel_runs: int = 9
    concurrency_rounds: int = 5
    concurrency_posts: int = 100
    floor_events: int = 20_000
    floor_runs: int = 5
    intervals: list[int] = field(default_factory=lambda: [5, 10, 20, 50, 100, 200])
    interval_runs: int = 5
    page_updates: int = 2_000
    page_runs: int = 15
    rebuild_sizes: list[int] = field(default_factory=lambda: [100_000, 1_000_000])
    audit_events: int = 1_000_000
    audit_runs: int = 1
    roster_staff: int = 500
    roster_changes: int = 10_000
    encryption_events: int = 20_000
    encryption_runs: int = 9
    process_row_runs: int = 9
    process_read_updates: list[int] = field(default_factory=lambda: [20, 2_000])
    lag_events: int = 50_000
    lag_story_events: int = 1_000
    lag_runs: int = 3
    process_warmup: int = 1

    @property
    def story_events(self) -> int:
        """The table's long story: the largest of the sizes."""
        return max(self.story_sizes)


FULL = Plan(quick=False)
QUICK = Plan(
    quick=True,
    story_sizes=[40, 120],
    write_runs=6,
    long_story_runs=2,
    process_runs=1,
    time_travel_runs=2,
    concurrency_rounds=1,
    concurrency_posts=3,
    floor_events=200,
    floor_runs=1,
    intervals=[20, 60],
    interval_runs=1,
    page_updates=20,
    page_runs=2,
    rebuild_sizes=[100, 200],
    audit_events=200,
    roster_staff=20,
    roster_changes=60,
    encryption_events=200,
    encryption_runs=1,
    process_row_runs=1,
    process_read_updates=[20],
    lag_events=300,
    lag_story_events=100,
    lag_runs=1,
    process_warmup=0,
)


@dataclass(frozen=True)
class Step:
    """One benchmark, run once per store it applies to."""

    name: str
    run: Callable[[Plan, str], Findings]
    stores: tuple[str, ...] = (SQLITE, POSTGRES)


def _write(plan: Plan, store: str) -> Findings:
    from benchmarks.write_bench import in_process_write

    return in_process_write(store, plan.write_runs)


def _roster_check(plan: Plan, store: str) -> Findings:
    from benchmarks.staff_bench import large_roster_write, roster_check_write

    findings = roster_check_write(store, plan.write_runs)
    findings.extend(large_roster_write(store, plan.roster_staff, plan.roster_changes, plan.write_runs))
    return findings


def _long_story(plan: Plan, store: str) -> Findings:
    from benchmarks.write_bench import long_story_write

    return long_story_write(store, plan.story_sizes, plan.long_story_runs)


def _process(plan: Plan, store: str) -> Findings:
    from benchmarks.startup_bench import process_write

    return process_write(store, plan.process_runs, plan.process_warmup)


def _cache(plan: Plan, store: str) -> Findings:
    from benchmarks.write_bench import cached_long_story_write

    return cached_long_story_write(plan.story_events, plan.interval_runs)


def _imports(plan: Plan, store: str) -> Findings:
    from benchmarks.startup_bench import import_profile_note

    return import_profile_note(store)


def _time_travel(plan: Plan, store: str) -> Findings:
    from benchmarks.time_travel_bench import past_page

    return past_page(store, plan.story_events, plan.time_travel_runs)


def _concurrency(plan: Plan, store: str) -> Findings:
    from benchmarks.concurrency_bench import concurrent_writers

    return concurrent_writers(plan.concurrency_rounds, plan.concurrency_posts, store)


def _floor(plan: Plan, store: str) -> Findings:
    from benchmarks.floor_bench import floor

    return floor(store, plan.floor_events, plan.floor_runs)


def _page(plan: Plan, store: str) -> Findings:
    from benchmarks.partners import live_page_read

    return live_page_read(store, plan.page_updates, plan.page_runs)


def _rebuild(plan: Plan, store: str) -> Findings:
    from benchmarks.partners import projections_rebuild

    return projections_rebuild(store, plan.rebuild_sizes)


def _audit(plan: Plan, store: str) -> Findings:
    from benchmarks.audit_bench import audit_rates

    return audit_rates(store, plan.audit_events, plan.audit_runs)


def _encryption(plan: Plan, store: str) -> Findings:
    from benchmarks.encryption_bench import encryption_costs

    return encryption_costs(store, plan.encryption_events, plan.write_runs, plan.encryption_runs)


def _process_rows(plan: Plan, store: str) -> Findings:
    from benchmarks.process_rows_bench import process_rows

    return process_rows(
        store,
        runs=plan.process_row_runs,
        page_updates=plan.process_read_updates,
        lag_events=plan.lag_events,
        lag_story_events=plan.lag_story_events,
        lag_runs=plan.lag_runs,
        warmup=plan.process_warmup,
    )


def _snapshot_interval(plan: Plan, store: str) -> Findings:
    from benchmarks.write_bench import snapshot_interval_study

    return snapshot_interval_study(plan.story_events, plan.intervals, plan.interval_runs)


def _web(plan: Plan, store: str) -> Findings:
    from benchmarks.web_bench import web_rows

    return web_rows(store, quick=plan.quick)


STEPS = [
    Step("write", _write),
    Step("roster-check", _roster_check),
    Step("long-story", _long_story),
    Step("process", _process),
    Step("process-rows", _process_rows),
    Step("page", _page),
    Step("time-travel", _time_travel),
    Step("rebuild", _rebuild),
    Step("audit", _audit),
    Step("encryption", _encryption),
    Step("concurrency", _concurrency),
    Step("floor", _floor),
    Step("snapshot-interval", _snapshot_interval, (SQLITE,)),
    Step("aggregate-cache", _cache, (SQLITE,)),
    Step("imports", _imports, (SQLITE,)),
    Step("web", _web),
]


@dataclass
class Outcome:
    """What a run found, and which steps could not run."""

    findings: Findings = field(default_factory=Findings)
    failures: list[str] = field(default_factory=list)
    ran: list[tuple[str, str]] = field(default_factory=list)


def run(
    plan: Plan, stores: list[str], only: list[str] | None = None, log: Callable[[str], None] = print
) -> Outcome:
    outcome = Outcome()
    for step in STEPS:
        if only and step.name not in only:
            continue
        for store in [s for s in stores if s in step.stores]:
            started = time.perf_counter()
            log(f"· {step.name} on {store} ...")
            try:
                outcome.findings.extend(step.run(plan, store))
                outcome.ran.append((step.name, store))
            except Exception:
                outcome.failures.append(f"{step.name} on {store}:\n{traceback.format_exc()}")
                log(f"  {step.name} on {store} FAILED: {traceback.format_exc().strip().splitlines()[-1]}")
                continue
            # Named again: in quick mode the parts' lines interleave.
            log(f"  {step.name} on {store} done in {time.perf_counter() - started:.1f} s")
    return outcome


APART = ("web", "process-rows")
"""Steps a quick run gives processes of their own: the longest, mostly starting processes and
waiting on them."""


def run_in_parts(options: list[str], stores: list[str], only: list[str] | None) -> Outcome:
    """Quick mode: each store's steps in processes of their own (`python -m benchmarks.run OPTIONS
    --stores S --only STEPS`, each step of `APART` apart), all at once, merged in that order. Quick
    mode measures nothing, so the parts may share the cores: most of each is waiting on the
    processes it starts and on its database."""
    steps = [step.name for step in STEPS if not only or step.name in only]
    groups = [[name for name in steps if name not in APART], *([name] for name in steps if name in APART)]
    parts = [(store, names) for store in stores for names in groups if names]
    outcome = Outcome()
    with TemporaryDirectory(prefix="newsroom-bench-run-") as folder:
        files = [Path(folder) / f"part-{n}.pickle" for n in range(len(parts))]
        run_ = [sys.executable, "-m", "benchmarks.run", *options]
        children = [
            subprocess.Popen(
                [*run_, "--stores", store, "--only", *names, "--outcome", str(file)],
                cwd=ROOT,
                env=bytecode_cached(),  # what each part starts compiles the newsroom's modules once
            )
            for (store, names), file in zip(parts, files, strict=True)
        ]
        for (store, names), child, file in zip(parts, children, files, strict=True):
            if child.wait() != 0 or not file.exists():
                outcome.failures.append(
                    f"{' '.join(names)} on {store}: exited {child.returncode} before its results"
                )
                continue
            found: Outcome = pickle.loads(file.read_bytes())
            outcome.findings.extend(found.findings)
            outcome.failures += found.failures
            outcome.ran += found.ran
    return outcome


def _plan_options(args: argparse.Namespace) -> list[str]:
    """The options that choose the plan, for a run of one part."""
    options = ["--quick"] if args.quick else []
    for flag, values in (("--sizes", args.sizes), ("--store-sizes", args.store_sizes)):
        if values:
            options += [flag, *map(str, values)]
    return options


def context(plan: Plan, stores: list[str], elapsed: float, commit: str) -> list[str]:
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("eventsourcing", "sqlalchemy", "psycopg", "click")
    )
    return [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit} "
        f"({'quick mode: tiny sizes, not a measurement' if plan.quick else 'full run'}), in {elapsed:.0f} s.",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; "
        f"{versions}. Stores: {', '.join(stores)}.",
        f"Load average at the end (1, 5, 15 min): {' '.join(f'{load:.2f}' for load in os.getloadavg())}; "
        "this run alone keeps it near 1, more means other work shared the two cores.",
        "Each figure is a median of repeated runs, timed interleaved with its baseline in the same run; "
        "ratio = measured / baseline. Regenerate with `python -m benchmarks.run`.",
    ]


def _commit() -> str:
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() or "unknown"


def _commit_note(at_start: str) -> str:
    """The commit the run started from; a subprocess started later may have met a changed tree."""
    at_end = _commit()
    return at_start if at_end == at_start else f"{at_start} (the tree changed to {at_end} during the run)"


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
    commit = _commit()
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
        context(plan, stores, elapsed, _commit_note(commit)),
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
