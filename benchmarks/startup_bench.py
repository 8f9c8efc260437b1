"""A write command as a whole process: `newsroom update post ...` beside importing the library alone.

A write only appends its events; the next read catches the read models up, so the note also times
`newsroom page` right after a write (one event to apply), for scale.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.processes import bytecode_cached
from benchmarks.rows import Findings, Row, at_most
from benchmarks.stores import fresh_store
from benchmarks.stories import BODY, EDITOR, TITLE
from benchmarks.timing import interleaved, median_time, timed
from infrastructure.bootstrap import bootstrap

ROOT = Path(__file__).parents[1]
PROCESS_WRITE = "a write command as a whole process (newsroom update post)"
BASELINE_IMPORT = "import eventsourcing.application, sqlalchemy"


def newsroom_command() -> list[str]:
    """The installed `newsroom` script beside this interpreter, or `python -m cli` where there is none."""
    script = Path(sys.executable).parent / "newsroom"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def _run(argv: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(argv, cwd=ROOT, env=bytecode_cached(env), check=True, stdout=subprocess.DEVNULL)


def process_write(backend: str, runs: int, warmup: int = 1) -> Findings:
    """Medians of `runs` whole-process writes and `runs` bare imports, interleaved (after `warmup`
    untimed pairs); the processes for scale in the note `runs // 2` times each, at least once."""
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        app.open_story("bench", "A live blog", editor=EDITOR)
        app.close()
        env = {**os.environ, "NEWSROOM_DB": store.url, "NEWSROOM_EDITOR": EDITOR}
        post = [*newsroom_command(), "update", "post", "bench", "--title", TITLE, "--body", BODY]
        baseline = [sys.executable, "-c", BASELINE_IMPORT]
        paired = interleaved(lambda: _run(post, env), lambda: _run(baseline), runs, warmup=warmup)
        scale_runs = max(1, runs // 2)
        bare_python = median_time(lambda: _run([sys.executable, "-c", "pass"]), scale_runs, warmup=warmup)
        library = [sys.executable, "-c", "import eventsourcing.application"]
        library_only = median_time(lambda: _run(library), scale_runs, warmup=warmup)
        page = [*newsroom_command(), "page", "bench", "--format", "json"]
        if warmup:
            _run(page, env)  # builds the read models: each timed read then applies one write
        after_write = median_time(
            lambda: _run(page, env), scale_runs, warmup=0, setup=lambda: _run(post, env)
        )
    row = Row(
        PROCESS_WRITE,
        backend,
        paired.subject,
        "s",
        paired.baseline,
        f'python -c "{BASELINE_IMPORT}"',
        at_most(1.5),
        f"median of {runs} interleaved; for scale: `python -c pass` {bare_python * 1e3:.0f} ms, "
        f"`import eventsourcing.application` alone {library_only * 1e3:.0f} ms; "
        f"`newsroom page` right after a write (it catches the read models up) {after_write * 1e3:.0f} ms",
    )
    return Findings(rows=[row])


@dataclass(frozen=True)
class ImportCost:
    """One module in `python -X importtime`: microseconds in itself and with what it imported."""

    module: str
    self_us: int
    cumulative_us: int


IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def import_profile(store_url: str) -> list[ImportCost]:
    """What `newsroom update post` imports, from `python -X importtime`, heaviest first."""
    env = {**os.environ, "NEWSROOM_DB": store_url, "NEWSROOM_EDITOR": EDITOR}
    argv = [sys.executable, "-X", "importtime", "-m", "cli", "update", "post", "bench", "--title", "T"]
    result = subprocess.run(
        [*argv, "--body", "Text."],
        cwd=ROOT,
        env=bytecode_cached(env),
        capture_output=True,
        text=True,
        check=True,
    )
    costs = [
        ImportCost(m.group(4), int(m.group(1)), int(m.group(2)))
        for m in map(IMPORT_LINE.match, result.stderr.splitlines())
        if m
    ]
    return sorted(costs, key=lambda c: c.cumulative_us, reverse=True)


def import_profile_note(backend: str, top: int = 15) -> Findings:
    """The heaviest imports of a write command, as a table for the report."""
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        app.open_story("bench", "A live blog", editor=EDITOR)
        app.close()
        elapsed = timed(lambda: import_profile(store.url))
        costs = import_profile(store.url)
    total = next((c.cumulative_us for c in costs if c.module == "cli.main"), 0)
    heaviest = [c for c in costs if _is_ours_or_direct(c.module)][:top]
    by_self = sorted(costs, key=lambda c: c.self_us, reverse=True)[:top]
    lines = [
        f"What `newsroom update post` imports ({backend}; `python -X importtime`, one run of "
        f"{elapsed * 1e3:.0f} ms with the importtime overhead; `cli.main` and all it pulls in: "
        f"{total / 1e3:.0f} ms):",
        "",
        "| module (cumulative) | ms | | module (self) | ms |",
        "|---|---:|---|---|---:|",
    ]
    lines += [
        f"| {a.module} | {a.cumulative_us / 1e3:.1f} | | {b.module} | {b.self_us / 1e3:.1f} |"
        for a, b in zip(heaviest, by_self, strict=False)
    ]
    return Findings(notes=["\n".join(lines)])


def _is_ours_or_direct(module: str) -> bool:
    top = module.split(".")[0]
    return top in {"cli", "domain", "infrastructure", "eventsourcing", "click", "markdown_it", "psycopg"}
