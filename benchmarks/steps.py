"""The benchmark run's steps (`STEPS`, what `--only` names), and running them: in this process, or
in quick mode in processes of their own, all at once (`run_in_parts`)."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from benchmarks.plan import Plan
from benchmarks.processes import bytecode_cached
from benchmarks.rows import Findings
from benchmarks.stores import POSTGRES, SQLITE

ROOT = Path(__file__).parents[1]


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


def _signing(plan: Plan, store: str) -> Findings:
    from benchmarks.signing_bench import signing_costs

    return signing_costs(store, plan.signing_events, plan.audit_runs, plan.write_runs)


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
        storage_stories=plan.storage_stories,
        storage_posts=plan.storage_posts,
        warmup=plan.process_warmup,
    )


def _snapshot_interval(plan: Plan, store: str) -> Findings:
    from benchmarks.write_bench import snapshot_interval_study

    return snapshot_interval_study(plan.story_events, plan.intervals, plan.interval_runs)


def _web(plan: Plan, store: str) -> Findings:
    from benchmarks.web_bench import web_rows

    return web_rows(store, quick=plan.quick)


def _cache_tier(plan: Plan, store: str) -> Findings:
    from benchmarks.web_cache_bench import web_cache_rows

    return web_cache_rows(store, quick=plan.quick)


STEPS = [
    Step("write", _write),
    Step("roster-check", _roster_check),
    Step("signing", _signing),
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
    Step("cache", _cache_tier),
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
