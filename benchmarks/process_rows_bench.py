"""Commands as the processes users run, each beside a bare process doing the same on the same store,
and what the store costs in bytes.

- a write: `newsroom update post` vs `bare/write.py` (a plain library `Application`: load, one
  event, save);
- reads: `newsroom page SLUG --format json` (a short and a long story) and `newsroom story list
  --format json` vs `bare/read.py` printing the same bytes, with SQLAlchemy Core (target) and with
  the bare driver (stretch target);
- a read right after a write: `newsroom page SLUG --format json` catching the read models up by the
  post just made vs `bare/read.py` reading the rows as they stand;
- a read on a read-only SQLite store (`?mode=ro`) whose read models lag by 10 posts vs the same
  read on a current copy of the store;
- storage: bytes per post of a staffed, sealed store against a bare-library store of the same posts
  (`storage_bench`).
Every pair (or trio) is timed interleaved in the same run; the bare scripts' output is checked
byte for byte against the newsroom's first.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.processes import bytecode_cached
from benchmarks.rows import Findings, Row, at_most
from benchmarks.startup_bench import ROOT, newsroom_command
from benchmarks.storage_bench import storage_rows
from benchmarks.store_sizes import checkpoint
from benchmarks.stores import POSTGRES, SQLITE, Store, fresh_store
from benchmarks.stories import BODY, EDITOR, TITLE, grow_story
from benchmarks.timing import rotated
from domain.chain import sealing
from infrastructure.bootstrap import bootstrap
from infrastructure.store import parse_url

BARE = Path(__file__).parent / "bare"
WRITE_ROW = "a write command as a process vs a bare-library write process"
READ_ROW = "a read command as a process"
LAG_ROW = "a read on a read-only store whose read models lag"
AFTER_WRITE_ROW = "a read command as a process right after a write"


def _output(argv: list[str], env: dict[str, str] | None = None) -> bytes:
    return subprocess.run(argv, cwd=ROOT, env=bytecode_cached(env), check=True, capture_output=True).stdout


def _kept(argv: list[str], env: dict[str, str] | None, outputs: set[bytes]) -> Callable[[], object]:
    """Runs argv, keeping what it printed (to check a bare script prints what the newsroom does)."""
    return lambda: outputs.add(_output(argv, env))


def _quiet(argv: list[str], env: dict[str, str] | None = None) -> Callable[[], object]:
    return lambda: _output(argv, env)


def _median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1e3:.0f} ms"


def _spread(times: list[float]) -> str:
    return f"{min(times) * 1e3:.0f}–{max(times) * 1e3:.0f} ms"


def _newsroom_env(store: Store) -> dict[str, str]:
    return {**os.environ, "NEWSROOM_DB": store.url, "NEWSROOM_EDITOR": EDITOR}


def write_process(backend: str, runs: int, warmup: int = 1) -> Findings:
    """`newsroom update post` vs a plain library Application writing one event, interleaved."""
    with fresh_store(backend) as store:
        services = bootstrap(store.url)
        services.app.open_story("bench", "A live blog", editor=EDITOR)
        services.close()
        post = [*newsroom_command(), "update", "post", "bench", "--title", TITLE, "--body", BODY]
        bare_env = {**os.environ, **store.library_env("Application")}
        bare = [sys.executable, str(BARE / "write.py"), "bench", TITLE, BODY]
        if warmup:
            _output(bare, bare_env)  # opens the blog (and its tables) once, untimed
        times = rotated([_quiet(post, _newsroom_env(store)), _quiet(bare, bare_env)], runs, warmup=warmup)
    subject, baseline = (statistics.median(t) for t in times)
    note = (
        f"median of {runs} interleaved (spread: newsroom {_spread(times[0])}, bare {_spread(times[1])}); "
        "the bare write stores title and Markdown as given (no parsing, hashing, sealing or digests) "
        "with the library's defaults (CREATE TABLE IF NOT EXISTS on each start, no snapshots)"
    )
    label = "bare-library write process: plain Application, load, 1 event, save"
    return Findings(rows=[Row(WRITE_ROW, backend, subject, "s", baseline, label, at_most(1.3), note)])


def read_processes(backend: str, updates: list[int], runs: int, warmup: int = 1) -> Findings:
    """Read commands as processes vs the bare read script (SQLAlchemy Core, then the bare driver)."""
    findings = Findings()
    with fresh_store(backend) as store:
        services = bootstrap(store.url)
        slugs = {}
        for count in updates:
            slugs[count] = f"story-{count}"
            grow_story(services.app, slugs[count], count + 1)  # opened, then `count` posts
        services.caught_up()  # the read models current: each timed read only checks they are
        services.close()
        env = bytecode_cached(_newsroom_env(store))
        reads = [
            (f"`newsroom page` of a {count:,}-update story", ["page", slugs[count], "--format", "json"],
             ["page", slugs[count]])
            for count in updates
        ] + [("`newsroom story list`", ["story", "list", "--format", "json"], ["list"])]  # fmt: skip
        for what, command, bare_command in reads:
            ours = [*newsroom_command(), *command]
            core = [sys.executable, str(BARE / "read.py"), store.url, *bare_command]
            driver = [sys.executable, str(BARE / "read.py"), "--driver", store.url, *bare_command]
            outputs: dict[int, set[bytes]] = {0: set(), 1: set(), 2: set()}
            sides = [
                _kept(ours, env, outputs[0]),
                _kept(core, None, outputs[1]),
                _kept(driver, None, outputs[2]),
            ]
            times = rotated(sides, runs, warmup=warmup)
            if len(outputs[0]) != 1 or outputs[1] != outputs[0] or outputs[2] != outputs[0]:
                raise AssertionError(f"the bare read of {bare_command} does not print what {command} prints")
            [expected] = outputs[0]
            subject, with_core, with_driver = (statistics.median(t) for t in times)
            note = (
                f"median of {runs} rotated (spread: newsroom {_spread(times[0])}, Core "
                f"{_spread(times[1])}, driver {_spread(times[2])}); {len(expected):,} bytes of output, "
                "checked identical; bytecode cached, as installed"
            )
            findings.rows += [
                Row(f"{READ_ROW}: {what}", backend, subject, "s", with_core,
                    "bare read process: library + SQLAlchemy Core, same rows, same JSON", at_most(1.3), note),
                Row(f"{READ_ROW} (stretch): {what}", backend, subject, "s", with_driver,
                    "bare read process on the bare driver (sqlite3 / psycopg), no SQLAlchemy", at_most(1.5)),
            ]  # fmt: skip
    return findings


def read_after_write(backend: str, updates: int, runs: int, warmup: int = 1) -> Findings:
    """`newsroom page` as a process right after each of `runs` posts (it catches the read models up
    by one post) vs the bare read script (SQLAlchemy Core) reading the same rows, interleaved."""
    with fresh_store(backend) as store:
        services = bootstrap(store.url)
        slug = "after-a-write"
        grow_story(services.app, slug, updates + 1)
        services.caught_up()
        services.close()
        env = bytecode_cached(_newsroom_env(store))
        post = [*newsroom_command(), "update", "post", slug, "--title", TITLE, "--body", BODY]
        ours = [*newsroom_command(), "page", slug, "--format", "json"]
        core = [sys.executable, str(BARE / "read.py"), store.url, "page", slug]
        sides, setups = [_quiet(ours, env), _quiet(core)], [_quiet(post, env), None]
        times = rotated(sides, runs, warmup=warmup, setups=setups)
        outputs = {_output(ours, env), _output(core)}  # the read models now current on both sides
        if len(outputs) != 1:
            raise AssertionError("the bare read does not print what `newsroom page` prints")
    subject, baseline = (statistics.median(t) for t in times)
    note = (
        f"median of {runs} interleaved (spread: newsroom {_spread(times[0])}, Core {_spread(times[1])}); "
        f"before each newsroom read, untimed, `newsroom update post` on the {updates}-update story: the "
        "read applies that post to both read models; the bare read has nothing to catch up and reads "
        "the rows as they stand (its output checked identical once both are current); bytecode cached"
    )
    label = "bare read process: library + SQLAlchemy Core, same rows, same JSON"
    what = f"`newsroom page` of a {updates}-update story"
    return Findings(
        rows=[Row(f"{AFTER_WRITE_ROW}: {what}", backend, subject, "s", baseline, label, at_most(1.2), note)]
    )


def read_only_lag(
    backend: str, events: int, story_events: int, behind: int, runs: int, warmup: int = 1
) -> Row:
    """On a SQLite store of `events` story events in stories of `story_events`, a `page` read-only
    with the read models `behind` posts behind vs the same on a current copy."""
    with fresh_store(backend) as store:
        services = bootstrap(store.url)
        stories = max(1, events // story_events)
        with sealing(services.app.salts):  # as a store is written: grow_story records outside commands
            for n in range(stories):
                grow_story(services.app, f"story-{n}", story_events)
        services.caught_up()
        path = Path(parse_url(store.url).sqlite_path or "")
        checkpoint(path)
        current = Path(store.folder) / "current"
        current.mkdir()
        for file in path.parent.glob(path.name + "*"):
            shutil.copy(file, current / file.name)
        slug = f"story-{stories - 1}"
        with sealing(services.app.salts):
            grow_story(services.app, slug, story_events + behind)  # the read models not told
        services.close()
        checkpoint(path)
        page = [*newsroom_command(), "page", slug, "--format", "json"]
        lagging = bytecode_cached({**os.environ, "NEWSROOM_DB": f"sqlite:///{path}?mode=ro"})
        fresh = bytecode_cached({**os.environ, "NEWSROOM_DB": f"sqlite:///{current / path.name}?mode=ro"})
        times = rotated([_quiet(page, lagging), _quiet(page, fresh)], runs, warmup=warmup)
    subject, baseline = (statistics.median(t) for t in times)
    note = (
        f"median of {runs} interleaved (spread: lagging {_spread(times[0])}, current {_spread(times[1])}); "
        f"a {story_events:,}-event story's page; the lagging store is {behind} posts ({2 * behind} "
        "notifications) ahead of its read models; bytecode cached, as installed"
    )
    figure = f"{LAG_ROW} {behind} posts behind, {stories * story_events:,} events"
    label = "the same read on a current copy of the store, also read-only"
    return Row(figure, backend, subject, "s", baseline, label, at_most(2.0), note)


def process_rows(
    backend: str,
    *,
    runs: int,
    page_updates: list[int],
    lag_events: int,
    lag_story_events: int,
    lag_runs: int,
    storage_stories: int,
    storage_posts: int,
    warmup: int = 1,
) -> Findings:
    findings = write_process(backend, runs, warmup)
    findings.extend(read_processes(backend, page_updates, runs, warmup))
    findings.extend(read_after_write(backend, min(page_updates), runs, warmup))
    if backend == SQLITE:
        findings.rows.append(read_only_lag(backend, lag_events, lag_story_events, 10, lag_runs, warmup))
    findings.extend(storage_rows(backend, storage_stories, storage_posts))
    return findings


__all__ = ["POSTGRES", "SQLITE", "process_rows"]
