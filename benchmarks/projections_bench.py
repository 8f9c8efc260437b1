"""The read models' two performance targets, each beside a baseline measured in the same run.

1. Reading the live page of a story with 2,000 updates (and as many revisions) from the read model,
   against the bare driver SELECTs of the same rows (target: at most 3x).
2. Rebuilding both projections from 100,000 events, against the library alone reading those events
   back and turning them into domain events (target: at least a third of its rate).

Run: `python -m benchmarks.projections_bench [--events 100000] [--updates 2000] [--postgres URL]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from eventsourcing.application import Application

from benchmarks.stores import Store
from benchmarks.timing import interleaved, median_time
from domain.markdown_body import parse_body
from domain.story import Story
from domain.update_digests import UpdateDigests
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.projections.page_reading import read_page

BODY = parse_body(
    "Leaders met in Sochi today to discuss the conflict, and the talks ran late into the evening.\n\n"
    "> We have had very substantive, very purposeful, very useful talks today.\n>\n"
    "> \u2013 The prime minister\n\n"
    '- Lift the arms embargo\n- Remove the words "non-lethal"\n\n'
    "![Leaders meet](https://example.org/sochi.jpg)\nCredit: Sang Tan/PA Wire"
)
SAVE_CHUNK = 1000
REBUILD_RUNS = 3
"""Rebuilds (and library replays) timed per store size; the figure is their median."""


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its baseline."""

    name: str
    ours: float
    baseline: float
    unit: str
    target: str

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline

    def line(self) -> str:
        return (
            f"{self.name:<44} ours {self.ours:>10.1f} {self.unit:<9} baseline {self.baseline:>10.1f} "
            f"{self.unit:<9} ratio {self.ratio:5.2f} (target {self.target})"
        )


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=10)
        return self.now


def record_story(newsroom: Services, slug: str, updates: int, revisions: int, clock: Clock) -> int:
    """Records a story with `updates` updates and `revisions` revisions; returns its event count."""
    story = Story.open(slug, f"Live: {slug}", "The latest.", editor="bench", at=clock())
    digests: list[UpdateDigests] = []
    for number in range(1, updates + 1):
        at = clock()
        digests.append(
            story.post_update(f"Update {number}", BODY, editor="bench", key_event=number % 50 == 0, at=at)
        )
        _save_now_and_then(newsroom, story, digests)
    for n in range(revisions):
        update = digests[n % updates]
        story.revise_update(update, title=f"Revised {n}", reason="Typo", editor="bench", at=clock())
        _save_now_and_then(newsroom, story, digests)
    newsroom.app.save(story, *(d for d in digests if d.pending_events))
    return story.version


def _save_now_and_then(newsroom: Services, story: Story, digests: list[UpdateDigests]) -> None:
    if len(story.pending_events) >= SAVE_CHUNK:
        newsroom.app.save(story, *(d for d in digests if d.pending_events))


def page_read(url: str, updates: int, runs: int) -> Figure:
    newsroom = bootstrap(url, clock=Clock())
    try:
        record_story(newsroom, "big-story", updates, updates, newsroom.clock)  # type: ignore[arg-type]
        newsroom.runner.catch_up()
        engine = newsroom.runner.engine
        page = read_page(engine, "big-story")
        assert len(page.updates) == updates
        bare = _bare_select(url, Story.id_for("big-story"))
        paired = interleaved(lambda: read_page(engine, "big-story"), bare, runs)
    finally:
        newsroom.close()
    return Figure(f"live page of {updates} updates (+{updates} revisions)", paired.subject * 1000,
                  paired.baseline * 1000, "ms", "<= 3x")  # fmt: skip


def _bare_select(url: str, story_id: uuid.UUID) -> Callable[[], object]:
    """The same two SELECTs through the bare driver, rows fetched and nothing decoded."""
    stories = "SELECT header, version, updated_at FROM page_stories WHERE story_id = {p}"
    updates = (
        "SELECT number, page FROM page_updates "
        "WHERE story_id = {p} AND to_version IS NULL ORDER BY number DESC"
    )
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.split("///", 1)[1].split("?")[0], check_same_thread=False)
        key = story_id.hex

        def read() -> object:
            connection.execute(stories.format(p="?"), (key,)).fetchall()
            return connection.execute(updates.format(p="?"), (key,)).fetchall()

        return read
    import psycopg
    from psycopg.sql import SQL, Identifier

    base, schema = url.split("?schema=")
    pg = psycopg.connect(base, autocommit=True)
    pg.execute(SQL("SET search_path TO {}").format(Identifier(schema)))

    def read_pg() -> object:
        with pg.transaction():
            pg.execute(stories.format(p="%s"), (story_id,)).fetchall()
            return pg.execute(updates.format(p="%s"), (story_id,)).fetchall()

    return read_pg


def rebuild_rate(url: str, events: int, runs: int = REBUILD_RUNS) -> Figure:
    """Rebuilding both projections over `events` events, beside the library reading them back.

    Timed alternately (`benchmarks.timing.interleaved`, ABBA order) `runs` times each; medians.
    """
    newsroom = bootstrap(url, clock=Clock())
    try:
        per_story = min(1000, events)
        recorded = 0
        for n in range(max(events // per_story, 1)):
            recorded += record_story(
                newsroom, f"story-{n}", per_story - 1 - per_story // 10, per_story // 10, newsroom.clock
            )  # type: ignore[arg-type]
        paired = interleaved(newsroom.runner.rebuild, lambda: _library_replay(newsroom), runs, warmup=0)
        assert (
            min(s.position for s in newsroom.runner.status()) == newsroom.app.recorder.max_notification_id()
        )
    finally:
        newsroom.close()
    return Figure(f"rebuild of {recorded} events (both projections)", recorded / paired.subject,
                  recorded / paired.baseline, "events/s", ">= 0.5x")  # fmt: skip


def _library_replay(newsroom: Services) -> int:
    """The library alone: read the story notifications (those the projections read) and turn each
    into a domain event. Other aggregates' notifications are left out, as the rebuild leaves them."""
    from domain.story import STORY_TOPICS

    topics = sorted(STORY_TOPICS)
    count, start = 0, 0
    while True:
        notifications = newsroom.app.recorder.select_notifications(
            start, 500, topics=topics, inclusive_of_start=False
        )
        for notification in notifications:
            newsroom.app.mapper.to_domain_event(notification)
        count += len(notifications)
        if len(notifications) < 500:
            return count
        start = notifications[-1].id


def bare_store_replay_rate(store: Store, events: int, runs: int = REBUILD_RUNS) -> float:
    """What the event format costs: the library reading a bare-library store of as many posts
    (`BareBlogs`: the same blocks as plain JSON, blogs of 1,000 events), in events per second,
    median of `runs` reads."""
    from benchmarks.baselines import Blog, bare_blogs, equivalent_body

    app = bare_blogs(store)
    body = equivalent_body()
    try:
        for n in range(max(events // 1000, 1)):
            blog = Blog(f"blog-{n}")
            for number in range(1, min(1000, events)):
                blog.post_update(number, f"Update {number}", None, body, number % 50 == 0, "bench")
                if len(blog.pending_events) >= SAVE_CHUNK:
                    app.save(blog)
            app.save(blog)
        return events / median_time(lambda: _replay_all(app), runs, warmup=0)
    finally:
        app.close()


def _replay_all(app: Application[uuid.UUID]) -> int:
    count, start = 0, 0
    while True:
        notifications = app.recorder.select_notifications(start, 500, inclusive_of_start=False)
        for notification in notifications:
            app.mapper.to_domain_event(notification)
        count += len(notifications)
        if len(notifications) < 500:
            return count
        start = notifications[-1].id


@contextmanager
def store(postgres: str | None) -> Iterator[str]:
    """A fresh store: a temporary SQLite file, or a fresh schema on the PostgreSQL server given."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    import psycopg
    from psycopg.sql import SQL, Identifier

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres, autocommit=True) as admin:
        admin.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
    try:
        yield f"{postgres}?schema={schema}"
    finally:
        with psycopg.connect(postgres, autocommit=True) as admin:
            admin.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(schema)))


def run(*, events: int, updates: int, runs: int, postgres: str | None = None) -> list[Figure]:
    with store(postgres) as url:
        read = page_read(url, updates, runs)
    with store(postgres) as url:
        rebuild = rebuild_rate(url, events)
    return [read, rebuild]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", metavar="URL", help="also measure on this PostgreSQL database")
    args = parser.parse_args(argv)
    for backend in ["sqlite", *(["postgresql"] if args.postgres else [])]:
        print(f"{backend}:")
        postgres = args.postgres if backend == "postgresql" else None
        for figure in run(events=args.events, updates=args.updates, runs=args.runs, postgres=postgres):
            print("  " + figure.line())
    sys.stdout.flush()


if __name__ == "__main__":
    main()
