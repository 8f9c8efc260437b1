"""The floor no Python code beats: the bare driver's raw SELECT rate of the events table.

Beside it, for scale, the library alone turning the same rows back into domain events.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.baselines import RawEventsReader
from benchmarks.rows import Findings, Row
from benchmarks.stores import fresh_store
from benchmarks.stories import grow_story
from benchmarks.timing import median_time
from domain.application import Newsroom
from infrastructure.bootstrap import bootstrap

RAW_SELECT = "raw SELECT of the events table (bare driver, the floor)"
LIBRARY_READ = "the library reading the events table back into domain events"
STORY_EVENTS = 1_000
PAGE = 1_000


def floor(backend: str, events: int, runs: int) -> Findings:
    """Events per second: the driver fetching every row, and the library decoding every event."""
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        reader = RawEventsReader(store)
        try:
            for n in range(max(1, events // STORY_EVENTS)):
                grow_story(app, f"story-{n}", min(events, STORY_EVENTS))
            count = reader.read_all()
            raw = median_time(reader.read_all, runs)
            library = median_time(lambda: read_domain_events(app), runs)
        finally:
            reader.close()
            app.close()
    return Findings(
        rows=[
            Row(RAW_SELECT, backend, count / raw, "/s", note=f"{count:,} rows; median of {runs}"),
            Row(
                LIBRARY_READ,
                backend,
                count / library,
                "/s",
                count / raw,
                "the raw SELECT floor",
                note=f"select_notifications in pages of {PAGE} + mapper.to_domain_event; median of {runs}",
            ),
        ]
    )


def read_domain_events(app: Newsroom, topics: Sequence[str] = ()) -> int:
    """Every event in the store (or of these topics), read in notification order and decoded;
    returns the count."""
    count, start = 0, 1
    while True:
        page = app.recorder.select_notifications(start, PAGE, topics=topics)
        for notification in page:
            app.mapper.to_domain_event(notification)
        count += len(page)
        if len(page) < PAGE:
            return count
        start = page[-1].id + 1
