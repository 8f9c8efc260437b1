"""The read-model benchmarks of benchmarks/projections_bench.py, as rows and growth series for the table.

projections_bench.py reports its own `Figure`s (milliseconds or events per second); this turns them
into the runner's rows, on the runner's fresh stores, and adds the rebuild's growth with the store.
"""

from __future__ import annotations

from benchmarks.rows import Findings, Row, Series, at_least, at_most
from benchmarks.stores import fresh_store

PAGE = "reading the live page of a story with {updates:,} updates"
REBUILD = "rebuilding both projections over {events:,} events"
REBUILD_BARE = "rebuilding both projections over {events:,} events, against a bare-library store"


def live_page_read(backend: str, updates: int, runs: int) -> Findings:
    """The live page from the read model, beside the bare driver's SELECTs of the same rows."""
    from benchmarks.projections_bench import page_read

    with fresh_store(backend) as store:
        figure = page_read(store.url, updates, runs)
    row = Row(
        PAGE.format(updates=updates),
        backend,
        figure.ours / 1e3,
        "s",
        figure.baseline / 1e3,
        "bare driver SELECTs of those rows (sqlite3 / psycopg, no ORM)",
        at_most(3.0),
        f"{figure.name}; medians of {runs} runs each, one after the other (projections_bench.page_read)",
    )
    return Findings(rows=[row])


def projections_rebuild(backend: str, sizes: list[int]) -> Findings:
    """The rebuild rate at each store size beside the library's replay of the same events."""
    from benchmarks.projections_bench import REBUILD_RUNS, bare_store_replay_rate, rebuild_rate

    rows: list[Row] = []
    series = Series(
        "rebuild both projections", "events in the store", backend, "rebuild",
        baseline_label="library replay into domain events",
    )  # fmt: skip
    bare_rows: list[Row] = []
    for size in sorted(sizes):
        with fresh_store(backend) as store:
            figure = rebuild_rate(store.url, size)
            events = _events_in(figure.name, size)
            bare_rate = bare_store_replay_rate(store, events)
        bare_rows.append(
            Row(
                REBUILD_BARE.format(events=events),
                backend,
                figure.ours,
                "/s",
                bare_rate,
                "the library reading a bare-library store of as many posts (the same blocks as JSON)",
                None,
                f"what the event format costs, for scale; the bare store's {events:,} events read "
                f"{REBUILD_RUNS} times, median (projections_bench.bare_store_replay_rate)",
            )
        )
        series.points.append((events, events / figure.ours))
        series.baseline_points.append((events, events / figure.baseline))
        rows.append(
            Row(
                REBUILD.format(events=events),
                backend,
                figure.ours,
                "/s",
                figure.baseline,
                "the library alone reading the same events back into domain events",
                at_least(0.6),
                f"events per second; medians of {REBUILD_RUNS} rebuilds and {REBUILD_RUNS} replays, "
                "interleaved (projections_bench.rebuild_rate)",
            )
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        rows[-1] = _with_note(
            last,
            f"{last.note}; rate at {series.points[-1][0]:,} events / rate at {series.points[0][0]:,}: "
            f"{last.value / first.value:.2f} (1.00 is linear growth of the time)",
        )
    return Findings(rows=rows + bare_rows, series=[series])


def _events_in(name: str, fallback: int) -> int:
    """The number of events the figure's name states ("rebuild of 100000 events ...")."""
    numbers = [int(word.replace(",", "")) for word in name.split() if word.replace(",", "").isdigit()]
    return numbers[0] if numbers else fallback


def _with_note(row: Row, note: str) -> Row:
    from dataclasses import replace

    return replace(row, note=note)
