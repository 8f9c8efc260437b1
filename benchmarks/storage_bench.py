"""What a store costs in bytes per post: the newsroom's store, grown as stores are written, beside a
bare-library store of as many posts in as many stories, grown and measured the same way in the
same run.

The newsroom's store is staffed (a roster with an admin and an editor; every post made by the
editor, so each records its role) and sealed (each update's words under a key of its own), with
its read models caught up. The bare store is `baselines.BareBlogs`: the library's own
Application, the same blocks as plain JSON, the newsroom's snapshot interval.

- storage per post against the bare store (target ≤ 1.5x);
- the same against the bare store plus a plain page table holding each update's page JSON once,
  what a plain user serving the page would also keep (informative: what the read models cost
  apart from the events).

Both measured alike (`store_sizes`); the key store is reported, not counted.

    python -m benchmarks.storage_bench [--stories N] [--posts N] [--stores sqlite postgresql]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from benchmarks import report
from benchmarks.baselines import BareBlogs, Blog, bare_blogs, equivalent_body
from benchmarks.rows import Findings, Row, at_most
from benchmarks.store_sizes import Footprint, footprint, state_bytes, stored_events
from benchmarks.stores import SQLITE, Store, available_backends, fresh_store
from benchmarks.stories import BODY, EDITOR, TITLE, body_blocks, grow_story, staff_the_store
from domain.application import Newsroom
from domain.roles import EDITOR as EDITOR_ROLE
from domain.story import Story
from domain.update_digests import UpdateDigests
from infrastructure.bootstrap import bootstrap
from infrastructure.keys import UPDATE_PREFIX
from infrastructure.projections import history, live_page_tables
from infrastructure.sealed_layout import envelope_parts, split_boxes
from infrastructure.store import parse_url
from tests.support.postgres import libpq_url

STORAGE_ROW = "storage per post vs a bare-library store of the same posts"
READ_MODEL_ROW = "storage per post vs a bare-library store plus a plain page table"
RAW_WORDS = len((TITLE + BODY).encode())
PAGE_TABLE = "blog_pages"
"""The bare store's read model: each update's page JSON once, by blog and number."""
PAGE_ROWS = frozenset(live_page_tables.metadata.tables)
HISTORY_ROWS = frozenset(history.metadata.tables)
_SQLITE_PAGE_TABLE = (
    "CREATE TABLE blog_pages (blog_id TEXT NOT NULL, number INTEGER NOT NULL, page TEXT NOT NULL, "
    "PRIMARY KEY (blog_id, number))"
)
_POSTGRES_PAGE_TABLE = (
    "CREATE TABLE {} (blog_id uuid NOT NULL, number integer NOT NULL, page text NOT NULL, "
    "PRIMARY KEY (blog_id, number))"
)
_SQLITE_SHOWN_NOW = "SELECT story_id, number, page FROM page_updates WHERE to_version IS NULL"
_POSTGRES_SHOWN_NOW = "SELECT story_id, number, page FROM {} WHERE to_version IS NULL"


def grow_newsroom(app: Newsroom, stories: int, posts: int) -> dict[UUID, str]:
    """The newsroom's store: staffed, `stories` stories of `posts` posts each by the staffed
    editor, sealed as a command seals them. Returns each story's slug by id."""
    staff_the_store(app)
    with app.sealing_words():  # as a command seals: grow_story records outside the commands
        for n in range(stories):
            grow_story(app, f"story-{n}", posts + 1)  # opened, then `posts` posts
    return {app.get_story(f"story-{n}").id: f"story-{n}" for n in range(stories)}


def check_staffed_and_sealed(app: Application[UUID], posts: int) -> None:
    """Refuses a store whose posts are not each made by a staffed editor (the role recorded)
    and sealed under a key of the update's own (title and body null in the clear)."""
    topic = get_topic(Story.UpdatePosted)
    found = 0
    for stored in stored_events(app):
        if stored.topic != topic:
            continue
        head = json.loads(split_boxes(stored.state)[0])
        sealed = {field for e in head.get("sealed") or () for field in _update_fields(e)}
        if head.get("role") != EDITOR_ROLE or not {"title", "body"} <= sealed or head["body"] is not None:
            raise AssertionError(f"a post not made by a staffed editor or not sealed: {head}")
        found += 1
    if found != posts:
        raise AssertionError(f"{found} posts stored where {posts} were made")


def _update_fields(envelope: Any) -> list[str]:
    key_id, fields, _ = envelope_parts(envelope)
    return fields if key_id.startswith(UPDATE_PREFIX) else []


def grow_bare(store: Store, stories: int, posts: int) -> tuple[BareBlogs, dict[str, UUID]]:
    """The bare-library store of as many posts in as many stories: the same title, the same
    blocks as plain JSON, saved in batches that end where the snapshots fall (as single saves).
    Returns the application and each blog's id by slug."""
    app = bare_blogs(store)
    ids = {}
    body = equivalent_body()
    interval = BareBlogs.snapshotting_intervals[Blog]
    for n in range(stories):
        blog = Blog(f"story-{n}")
        ids[blog.slug] = blog.id
        for number in range(1, posts + 1):
            blog.post_update(number, TITLE, None, body, False, EDITOR)
            if blog.version % interval == 0:
                app.save(blog)
        app.save(blog)
    return app, ids


def check_bare(app: BareBlogs, stories: int, posts: int) -> None:
    """Refuses a bare store that does not hold as many posts in as many stories."""
    posted, created = get_topic(Blog.UpdatePosted), get_topic(Blog.Created)
    topics = [e.topic for e in stored_events(app)]
    if topics.count(posted) != posts or topics.count(created) != stories:
        held = f"{topics.count(posted)} posts in {topics.count(created)} blogs"
        raise AssertionError(f"the bare store holds {held} where {posts} posts in {stories} were made")


def add_page_table(newsroom: Store, bare: Store, sqlite_path: Path | None, blog_of: dict[UUID, UUID]) -> int:
    """The bare store's plain read model: each update's page JSON once (the newsroom's page rows
    shown now, the same bytes), by blog (`blog_of` a story's id) and number. Returns how many
    rows it holds."""
    rows = [(blog_of[UUID(str(story))], number, page) for story, number, page in _shown_now(newsroom)]
    if bare.backend == SQLITE:
        connection = sqlite3.connect(sqlite_path or "")
        try:
            connection.execute(_SQLITE_PAGE_TABLE)
            connection.executemany(
                "INSERT INTO blog_pages VALUES (?, ?, ?)", [(str(b), n, p) for b, n, p in rows]
            )
            connection.commit()
        finally:
            connection.close()
        return len(rows)
    import psycopg
    from psycopg.sql import SQL, Identifier

    table = Identifier(parse_url(bare.url).postgres_schema, PAGE_TABLE)
    with psycopg.connect(libpq_url(bare.url)) as connection:
        connection.execute(SQL(_POSTGRES_PAGE_TABLE).format(table))
        with connection.cursor() as cursor:
            cursor.executemany(SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(table), rows)
    return len(rows)


def _shown_now(store: Store) -> list[Any]:
    config = parse_url(store.url)
    if store.backend == SQLITE:
        connection = sqlite3.connect(config.sqlite_path or "")
        try:
            return connection.execute(_SQLITE_SHOWN_NOW).fetchall()
        finally:
            connection.close()
    import psycopg
    from psycopg.sql import SQL, Identifier

    table = Identifier(config.postgres_schema, live_page_tables.page_updates.name)
    with psycopg.connect(libpq_url(store.url)) as connection:
        return connection.execute(SQL(_POSTGRES_SHOWN_NOW).format(table)).fetchall()


def storage_rows(backend: str, stories: int, posts: int) -> Findings:
    """The newsroom's store of `stories` × `posts` posts against the bare store of the same posts,
    then against the bare store with a plain page table."""
    total_posts = stories * posts
    with fresh_store(backend) as store, fresh_store(backend) as bare_store:
        services = bootstrap(store.url)
        try:
            slugs = grow_newsroom(services.app, stories, posts)
            services.caught_up()
            check_staffed_and_sealed(services.app, total_posts)
            ours = footprint(store)
            ours_parts = _newsroom_parts(services.app, ours, total_posts)
        finally:
            services.close()
        bare, blogs = grow_bare(bare_store, stories, posts)
        bare_path = _bare_path(bare_store)
        try:
            check_bare(bare, stories, total_posts)
            plain = footprint(bare_store, bare_path)
            plain_parts = _bare_parts(bare, plain, total_posts)
        finally:
            bare.close()
        blog_of = {story_id: blogs[slug] for story_id, slug in slugs.items()}
        pages = add_page_table(store, bare_store, bare_path, blog_of)
        with_pages = footprint(bare_store, bare_path)
    if pages != total_posts:
        raise AssertionError(f"the plain page table holds {pages} rows for {total_posts} posts")
    what = (
        f"{total_posts:,} posts in {stories} stories of {posts:,}, each the same {RAW_WORDS} B of title and "
        f"Markdown ({len(body_blocks())} blocks)"
    )
    newsroom = (
        f"newsroom: staffed (an admin and an editor on the roster; every post by the editor records its "
        f"role, checked) and sealed (every post's title and body under its update's key, checked), read "
        f"models caught up; {ours.how}; per post: {ours_parts}; by table: {_by_table(ours, total_posts)}; "
        f"its key store, not counted: {ours.keys / total_posts:,.0f} B a post"
    )
    baseline = (
        f"bare: `BareBlogs` (the library's Application, a `Blog` aggregate, the same title and blocks as "
        f"plain JSON, snapshots every {BareBlogs.snapshotting_intervals[Blog]}); {plain.how}; per post: "
        f"{plain_parts}; by table: {_by_table(plain, total_posts)}"
    )
    page_table = _page_table_part(with_pages, plain, total_posts)
    return Findings(
        rows=[
            Row(STORAGE_ROW, backend, ours.total / total_posts, "B", plain.total / total_posts,
                "bare-library store of the same posts (BareBlogs)", at_most(1.5),
                f"{what}. {newsroom}. {baseline}"),
            Row(READ_MODEL_ROW, backend, ours.total / total_posts, "B", with_pages.total / total_posts,
                "the bare store + a table of each update's page JSON once", None,
                f"{what}; the bare store above plus `{PAGE_TABLE}` (blog id, number, the update's page JSON "
                f"as the newsroom's page shows it, primary key on blog and number): {page_table}; "
                f"{with_pages.how}"),
        ]
    )  # fmt: skip


def _bare_path(store: Store) -> Path | None:
    if store.backend != SQLITE:
        return None
    return Path(store.library_env(BareBlogs.name)["SQLITE_DBNAME"])


def _per(size: int, posts: int) -> str:
    return f"{size / posts:,.0f}"


def _events_and_snapshots(app: Any, size: Footprint) -> tuple[int, int]:
    """The bytes of `app`'s events table and of its snapshots table, as the library names them."""
    events = size.data(frozenset({app.recorder.events_table_name}))
    return events, size.data(frozenset({app.snapshots.recorder.events_table_name}))


def _newsroom_parts(app: Newsroom, size: Footprint, posts: int) -> str:
    events, snapshots = _events_and_snapshots(app, size)
    counted = events + snapshots + size.data(PAGE_ROWS) + size.data(HISTORY_ROWS) + size.indexes
    story, digests = state_bytes(app, Story), state_bytes(app, UpdateDigests)
    return (
        f"events table {_per(events, posts)} (of which the story events' state {_per(story, posts)}, "
        f"the digests events' {_per(digests, posts)}), "
        f"snapshots {_per(snapshots, posts)}, page rows {_per(size.data(PAGE_ROWS), posts)}, history rows "
        f"{_per(size.data(HISTORY_ROWS), posts)}, indexes {_per(size.indexes, posts)}, the rest "
        f"{_per(size.total - counted, posts)}"
    )


def _bare_parts(app: BareBlogs, size: Footprint, posts: int) -> str:
    events, snapshots = _events_and_snapshots(app, size)
    counted = events + snapshots + size.indexes
    state = state_bytes(app, Blog)
    return (
        f"events table {_per(events, posts)} (of which the posts' state {_per(state, posts)}), "
        f"snapshots {_per(snapshots, posts)}, indexes {_per(size.indexes, posts)}, the rest "
        f"{_per(size.total - counted, posts)}"
    )


def _page_table_part(with_pages: Footprint, plain: Footprint, posts: int) -> str:
    [table] = [t for t in with_pages.tables if t.name == PAGE_TABLE]
    return (
        f"{_per(table.data, posts)} B a post and {_per(table.indexes, posts)} of index "
        f"({_per(with_pages.total - plain.total, posts)} B a post more in all)"
    )


def _by_table(size: Footprint, posts: int) -> str:
    """Bytes per post of each table that holds at least one (with its indexes beside it)."""
    tables = sorted(size.tables, key=lambda t: t.data + t.indexes, reverse=True)
    return ", ".join(
        f"{t.name} {_per(t.data, posts)}{f' + {_per(t.indexes, posts)} index' if t.indexes >= posts else ''}"
        for t in tables
        if t.data + t.indexes >= posts
    )


def main(argv: list[str] | None = None) -> None:
    description = __doc__.split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.storage_bench", description=description)
    parser.add_argument("--stories", type=int, default=5)
    parser.add_argument("--posts", type=int, default=1_000, help="posts in each story")
    parser.add_argument(
        "--stores", nargs="+", choices=available_backends(), help="default: every one available"
    )
    args = parser.parse_args(argv)
    findings = Findings()
    for backend in args.stores or available_backends():
        findings.extend(storage_rows(backend, args.stories, args.posts))
    print(report.table(findings.rows))
    print()
    print(report.row_notes(findings.rows))


if __name__ == "__main__":
    main()
