"""Write commands in process: against the bare library, and on a long story against a fresh one.

Also measures what the snapshot interval costs and saves on a long story, to justify the one in use.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass

from benchmarks.baselines import bare_blogs, equivalent_body, stored_state_size
from benchmarks.rows import Findings, Row, Series, at_most
from benchmarks.stores import SQLITE, fresh_store
from benchmarks.stories import BODY, EDITOR, TITLE, grow_story, snapshot_interval
from benchmarks.timing import interleaved, median_time, timed
from domain.application import Newsroom
from domain.chain import sealing
from domain.story import Story
from infrastructure.bootstrap import bootstrap, build_newsroom
from infrastructure.store import parse_url

IN_PROCESS = "one write command in process (post an update)"
LONG_STORY = "a write command on a story with {events:,} events"


def in_process_write(backend: str, runs: int) -> Findings:
    """`post_update` against the library's Application doing load + one equivalent event + save."""
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        bare = bare_blogs(store)
        try:
            app.open_story("bench", "A live blog", editor=EDITOR)
            blog_id = bare.open_blog("bench")
            body = equivalent_body()
            paired = interleaved(
                lambda: app.post_update("bench", TITLE, BODY, editor=EDITOR),
                lambda: bare.post_update(blog_id, TITLE, body),
                runs,
                warmup=3,
            )
            sizes = stored_state_size(app, Story.id_for("bench")), stored_state_size(bare, blog_id)
        finally:
            app.close()
            bare.close()
    row = Row(
        IN_PROCESS,
        backend,
        paired.subject,
        "s",
        paired.baseline,
        "bare library Application, same store module: load + 1 event + save",
        at_most(1.3),
        f"median of {runs} interleaved; stored event {sizes[0]} B vs {sizes[1]} B "
        f"(the newsroom's two hashes); both stories grow alike, snapshot every {snapshot_interval(app)}",
    )
    return Findings(rows=[row])


def long_story_write(backend: str, sizes: list[int], runs: int) -> Findings:
    """`post_update` on a story as it grows to each size, beside the same command on a fresh story.

    Each size is measured half a snapshot interval past it: the average distance from a snapshot.
    """
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        try:
            interval = snapshot_interval(app)
            fresh_slugs = (f"fresh-{n}" for n in itertools.count())
            slug: list[str] = []

            def open_fresh() -> None:
                slug[:] = [next(fresh_slugs)]
                app.open_story(slug[0], "A new live blog", editor=EDITOR)

            series = Series(
                "write on a long story", "events in the story", backend, "post an update",
                baseline_label="same command, fresh story",
            )  # fmt: skip
            paired = None
            for size in sorted(sizes):
                with sealing(app.salts):  # as the store's own commands write it: words sealed
                    events = grow_story(app, "long", size + interval // 2)
                paired = interleaved(
                    lambda: app.post_update("long", TITLE, BODY, editor=EDITOR),
                    lambda: app.post_update(slug[0], TITLE, BODY, editor=EDITOR),
                    runs,
                    baseline_setup=open_fresh,
                )
                series.points.append((events, paired.subject))
                series.baseline_points.append((events, paired.baseline))
        finally:
            app.close()
    assert paired is not None
    row = Row(
        LONG_STORY.format(events=max(sizes)),
        backend,
        paired.subject,
        "s",
        paired.baseline,
        "the same command on a fresh story",
        at_most(1.5),
        f"median of {runs} interleaved at {events:,} events ({interval // 2} past a snapshot); "
        f"snapshot interval {interval}",
    )
    return Findings(rows=[row], series=[series])


@dataclass(frozen=True)
class IntervalCost:
    """What one snapshot interval costs a long story's writes, measured on the real store."""

    interval: int
    snapshot_bytes: int
    load_at_snapshot: float
    load_interval_past: float
    take_snapshot: float

    @property
    def mean_extra_per_write(self) -> float:
        """Load cost averaged over an interval, plus one snapshot spread over the interval's writes."""
        return (self.load_at_snapshot + self.load_interval_past) / 2 + self.take_snapshot / self.interval


def snapshot_interval_study(size: int, intervals: list[int], runs: int) -> Findings:
    """For each interval: the load at a snapshot, the load an interval past it, and taking a snapshot."""
    costs = [_interval_cost(size, interval, runs) for interval in intervals]
    lines = [
        f"Snapshot interval study on SQLite, a story of {size:,} events, words sealed (in use: "
        f"{Newsroom.snapshotting_intervals[Story]}):",
        "",
        "| interval | snapshot size | load at a snapshot | load interval−1 events past | take a snapshot "
        "| mean extra per write |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {c.interval} | {c.snapshot_bytes:,} B | {c.load_at_snapshot * 1e3:.1f} ms "
        f"| {c.load_interval_past * 1e3:.1f} ms | {c.take_snapshot * 1e3:.1f} ms "
        f"| {c.mean_extra_per_write * 1e3:.1f} ms |"
        for c in costs
    ]
    return Findings(notes=["\n".join(lines)])


def _interval_cost(size: int, interval: int, runs: int) -> IntervalCost:
    with fresh_store(SQLITE) as store:
        services = bootstrap(store.url)  # a store with keys, its story's words sealed as it is written
        app = services.app
        app.snapshotting_intervals = {**app.snapshotting_intervals, Story: interval}
        try:
            with sealing(app.salts):
                grow_story(app, "long", size + interval)
            story_id = Story.id_for("long")
            [snapshot] = app.snapshots.recorder.select_events(story_id, lte=size, desc=True, limit=1)
            at_snapshot = median_time(lambda: app.get_story("long", version=size), runs)
            past = median_time(lambda: app.get_story("long", version=size + interval - 1), runs)
            # Each take stores a snapshot at a version that has none yet, as the library does.
            takes = [
                timed(lambda v=version: app.take_snapshot(story_id, version=v))
                for version in range(size + interval - 1, size + interval - 1 - min(runs, interval - 1), -1)
            ]
        finally:
            services.close()
    return IntervalCost(interval, len(snapshot.state), at_snapshot, past, statistics.median(takes))


def cached_long_story_write(size: int, runs: int) -> Findings:
    """What the library's aggregate cache would do for a long-running process writing to a long story.

    Not the CLI's case (one process per command): a remedy measured for the report. Without the
    deep copy a failed save would leave the cached story dirty, so the application would have to
    evict it on a conflict.
    """
    with fresh_store(SQLITE) as store:
        env = parse_url(store.url).env
        builder = build_newsroom(env)
        events = grow_story(builder, "long", size + snapshot_interval(builder) // 2)
        builder.close()
        lines = [
            f"The library's aggregate cache, for a long-running process (SQLite, a story of {events:,} "
            f"events, median of {runs} writes after a first one fills the cache):",
            "",
            "| repository | write on the long story |",
            "|---|---:|",
        ]
        for label, extra in [
            ("no cache (as the CLI runs)", {}),
            (
                "AGGREGATE_CACHE_MAXSIZE, deep copy from the cache (the library's default)",
                {"AGGREGATE_CACHE_MAXSIZE": "100"},
            ),
            (
                "AGGREGATE_CACHE_MAXSIZE, DEEPCOPY_FROM_AGGREGATE_CACHE=n",
                {"AGGREGATE_CACHE_MAXSIZE": "100", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"},
            ),
        ]:
            app = build_newsroom({**env, **extra})
            try:
                write = median_time(lambda a=app: a.post_update("long", TITLE, BODY, editor=EDITOR), runs)
            finally:
                app.close()
            lines.append(f"| {label} | {write * 1e3:.1f} ms |")
    return Findings(notes=["\n".join(lines)])
