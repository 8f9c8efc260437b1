"""What a benchmark run writes to benchmarks/results/latest.md: the context of the run (when, at
which commit, on what machine), and the old file merged with the new results (`merged`)."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from benchmarks.plan import Plan

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


def context(plan: Plan, stores: list[str], elapsed: float, commit: str) -> list[str]:
    """The lines under the results' title: when, at which commit, on what machine and how loaded."""
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


def current_commit() -> str:
    """The commit of this tree (`git describe --always --dirty`), or "unknown"."""
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


def commit_note(at_start: str) -> str:
    """The commit the run started from; a subprocess started later may have met a changed tree."""
    at_end = current_commit()
    return at_start if at_end == at_start else f"{at_start} (the tree changed to {at_end} during the run)"
