"""The live-page read model: what readers see of every story now, kept by the story events.

Tables: `page_stories` (one row per story) and `page_updates` (one row per visible update, its
blocks and correction notes as JSON; a retracted update's row is deleted). `read_live_page` reads
a story's page back in two queries as the same `LivePage` the fold (`LivePage.of`) gives.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, String, Table, Text, Uuid, select
from sqlalchemy.engine import Connection, Engine

from domain import rules
from domain.application import StorySummary
from domain.blocks import Block, BulletList, Image, Paragraph, Quote, block_to_dict, quotes_in
from domain.errors import StoryNotFound
from domain.live_page import KeyEvent, LivePage, PageUpdate
from domain.story import CLOSED, DRAFT, LIVE, Story
from domain.update import Correction
from infrastructure.projections.database import Moment, snapshot
from infrastructure.projections.projection import Notified, ReadModelProjection, Rows

metadata = MetaData()

page_stories = Table(
    "page_stories",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("headline", Text, nullable=False),
    Column("standfirst", Text),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("pinned", Integer),
    Column("opened_position", BigInteger, nullable=False, index=True),
)

page_updates = Table(
    "page_updates",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("byline", Text),
    Column("posted_at", Moment, nullable=False),
    Column("revised_at", Moment),
    Column("key_event", Boolean, nullable=False),
    Column("blocks", Text, nullable=False),
    Column("corrections", Text, nullable=False),
)

_NEEDS_UPDATE_ROW = (
    Story.UpdateRevised,
    Story.QuoteCorrected,
    Story.UpdateRetracted,
    Story.KeyEventMarked,
    Story.KeyEventUnmarked,
)


class LivePageProjection(ReadModelProjection):
    """Keeps `page_stories` and `page_updates` equal to every story's fold, as readers see it."""

    name = "live-page"
    version = 1
    metadata = metadata

    def apply(self, connection: Connection, events: Sequence[Notified]) -> None:
        stories, updates = Rows(page_stories), Rows(page_updates)
        stories.load(connection, {(n.event.originator_id,) for n in events})
        updates.load(
            connection,
            {
                (n.event.originator_id, n.event.number)
                for n in events
                if isinstance(n.event, _NEEDS_UPDATE_ROW)
            },
        )
        for notified in events:
            _apply(notified, stories, updates)
        stories.flush(connection)
        updates.flush(connection)


def _apply(notified: Notified, stories: Rows, updates: Rows) -> None:
    event = notified.event
    story_key = (event.originator_id,)
    if isinstance(event, Story.Opened):
        stories.put(
            story_key,
            {
                "story_id": event.originator_id,
                "slug": event.slug,
                "headline": event.headline,
                "standfirst": event.standfirst,
                "status": DRAFT,
                "version": event.originator_version,
                "updated_at": event.timestamp,
                "pinned": None,
                "opened_position": notified.position,
            },
        )
        return
    stories.change(story_key, version=event.originator_version, updated_at=event.timestamp)
    handler = _HANDLERS.get(type(event))
    if handler is not None:
        handler(event, stories, updates)


def _headline_changed(event: Any, stories: Rows, _updates: Rows) -> None:
    stories.change((event.originator_id,), headline=event.headline)


def _standfirst_changed(event: Any, stories: Rows, _updates: Rows) -> None:
    stories.change((event.originator_id,), standfirst=event.standfirst)


def _status(status: str) -> Callable[[Any, Rows, Rows], None]:
    def handle(event: Any, stories: Rows, _updates: Rows) -> None:
        stories.change((event.originator_id,), status=status)

    return handle


def _update_posted(event: Any, _stories: Rows, updates: Rows) -> None:
    updates.put(
        (event.originator_id, event.number),
        {
            "story_id": event.originator_id,
            "number": event.number,
            "title": event.title,
            "byline": event.byline,
            "posted_at": event.timestamp,
            "revised_at": None,
            "key_event": event.key_event,
            "blocks": blocks_json(event.body),
            "corrections": "[]",
        },
    )


def _update_revised(event: Any, _stories: Rows, updates: Rows) -> None:
    changes: dict[str, Any] = {"revised_at": event.timestamp}
    if event.title is not None:  # None: the revision kept the title
        changes["title"] = event.title
    if event.body is not None:  # None: the revision kept the body
        changes["blocks"] = blocks_json(event.body)
    updates.change((event.originator_id, event.number), **changes)


def _quote_corrected(event: Any, _stories: Rows, updates: Rows) -> None:
    key = (event.originator_id, event.number)
    row = updates.get(key)
    if row is None:
        return
    blocks = list(blocks_from_json(row["blocks"]))
    position, old = quotes_in(tuple(blocks))[event.quote - 1]
    blocks[position] = event.corrected(old)
    corrections = json.loads(row["corrections"])
    corrections.append(
        {"at": event.timestamp.isoformat(), "quote": event.quote, "note": event.note, "editor": event.editor}
    )
    updates.change(key, blocks=blocks_json(blocks), corrections=_json(corrections))


def _update_retracted(event: Any, _stories: Rows, updates: Rows) -> None:
    # Readers no longer see it, and the rules let nothing change it again.
    updates.delete((event.originator_id, event.number))


def _pinned(pinned: bool) -> Callable[[Any, Rows, Rows], None]:
    def handle(event: Any, stories: Rows, _updates: Rows) -> None:
        stories.change((event.originator_id,), pinned=event.number if pinned else None)

    return handle


def _key_event(key_event: bool) -> Callable[[Any, Rows, Rows], None]:
    def handle(event: Any, _stories: Rows, updates: Rows) -> None:
        updates.change((event.originator_id, event.number), key_event=key_event)

    return handle


_HANDLERS: dict[type, Callable[[Any, Rows, Rows], None]] = {
    Story.HeadlineChanged: _headline_changed,
    Story.StandfirstChanged: _standfirst_changed,
    Story.Published: _status(LIVE),
    Story.Closed: _status(CLOSED),
    Story.Reopened: _status(LIVE),
    Story.UpdatePosted: _update_posted,
    Story.UpdateRevised: _update_revised,
    Story.QuoteCorrected: _quote_corrected,
    Story.UpdateRetracted: _update_retracted,
    Story.UpdatePinned: _pinned(True),
    Story.UpdateUnpinned: _pinned(False),
    Story.KeyEventMarked: _key_event(True),
    Story.KeyEventUnmarked: _key_event(False),
}


def blocks_json(blocks: Sequence[Block]) -> str:
    """Blocks as compact JSON arrays (`["quote", text, attribution]`): quicker to read than objects."""
    return _cached_blocks_json(tuple(blocks))


@lru_cache(maxsize=1024)
def _cached_blocks_json(blocks: tuple[Block, ...]) -> str:
    # Both projections store the body of every post and revision they apply: encode it once.
    return _json([_block_row(b) for b in blocks])


def _block_row(block: Block) -> list[Any]:
    if isinstance(block, Paragraph):
        return ["paragraph", block.text]
    if isinstance(block, Quote):
        return ["quote", block.text, block.attribution]
    if isinstance(block, BulletList):
        return ["list", list(block.items), block.ordered]
    return ["image", block.caption, block.source, block.credit]


_BLOCK_MAKERS: dict[str, Callable[[list[Any]], Block]] = {
    "paragraph": lambda row: Paragraph(row[1]),
    "quote": lambda row: Quote(row[1], row[2]),
    "list": lambda row: BulletList(tuple(row[1]), row[2]),
    "image": lambda row: Image(row[1], row[2], row[3]),
}


def blocks_from_json(text: str) -> tuple[Block, ...]:
    return _blocks(json.loads(text))


def blocks_from_many(texts: Sequence[str]) -> list[tuple[Block, ...]]:
    """The blocks of many rows, decoded in one pass of the JSON parser."""
    return [_blocks(rows) for rows in json.loads("[" + ",".join(texts) + "]")]


def _blocks(rows: list[list[Any]]) -> tuple[Block, ...]:
    makers = _BLOCK_MAKERS
    return tuple([makers[row[0]](row) for row in rows])


def blocks_as_dicts(text: str) -> list[dict[str, Any]]:
    """Stored blocks in the public JSON shape (`{"kind": ...}`), as the history shows them."""
    return [block_to_dict(b) for b in blocks_from_json(text)]


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""Compact JSON, with one encoder for every row rather than one per call."""


# Reading.

_STORY_COLUMNS = (
    page_stories.c.slug,
    page_stories.c.headline,
    page_stories.c.standfirst,
    page_stories.c.status,
    page_stories.c.version,
    page_stories.c.updated_at,
    page_stories.c.pinned,
)
_UPDATE_COLUMNS = (
    page_updates.c.number,
    page_updates.c.title,
    page_updates.c.byline,
    page_updates.c.posted_at,
    page_updates.c.revised_at,
    page_updates.c.key_event,
    page_updates.c.blocks,
    page_updates.c.corrections,
)


def read_live_page(source: Connection | Engine, slug: str) -> LivePage:
    """The story's live page from the read model: two queries on one snapshot, no replay."""
    story_id = Story.id_for(rules.valid_slug(slug))
    with snapshot(source) as connection:
        story = connection.execute(select(*_STORY_COLUMNS).where(page_stories.c.story_id == story_id)).first()
        if story is None:
            raise StoryNotFound(slug)
        result = connection.execute(
            select(*_UPDATE_COLUMNS)
            .where(page_updates.c.story_id == story_id)
            .order_by(page_updates.c.number.desc())
        )
        # The driver's own tuples: thousands of rows skip SQLAlchemy's per-value processing.
        rows = result.cursor.fetchall() if result.cursor is not None else []
        moment = _moment_reader(connection)
    slug, headline, standfirst, status, version, updated_at, pinned = story
    with _without_cycle_collection():
        bodies = blocks_from_many([row[6] for row in rows])
        newest_first = [
            _page_update(row, blocks, pinned, moment) for row, blocks in zip(rows, bodies, strict=True)
        ]
    return LivePage(
        slug=slug,
        headline=headline,
        standfirst=standfirst,
        status=status,
        version=version,
        updated_at=updated_at,
        updates=tuple(sorted(newest_first, key=lambda u: not u.pinned)),
        key_events=tuple(KeyEvent(u.number, u.title, u.posted_at) for u in newest_first if u.key_event),
    )


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Builds many small acyclic objects without the cycle collector rescanning them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _moment_reader(connection: Connection) -> Callable[[Any], datetime]:
    """How a raw `Moment` value from the driver becomes a datetime (see database.Moment)."""
    if connection.dialect.name == "postgresql":
        return lambda value: value
    return datetime.fromisoformat


def _page_update(
    row: Any, blocks: tuple[Block, ...], pinned: int | None, moment: Callable[[Any], datetime]
) -> PageUpdate:
    number, title, byline, posted_at, revised_at, key_event, _, corrections = row
    return PageUpdate(
        number=number,
        title=title,
        byline=byline,
        posted_at=moment(posted_at),
        revised_at=None if revised_at is None else moment(revised_at),
        pinned=number == pinned,
        key_event=bool(key_event),
        blocks=blocks,
        corrections=tuple(_correction(c) for c in json.loads(corrections)) if corrections != "[]" else (),
    )


def _correction(data: dict[str, Any]) -> Correction:
    return Correction(
        at=datetime.fromisoformat(data["at"]), quote=data["quote"], note=data["note"], editor=data["editor"]
    )


def read_story_summaries(source: Connection | Engine) -> list[StorySummary]:
    """Every story, in the order they were opened, from the read model."""
    with snapshot(source) as connection:
        rows = connection.execute(
            select(
                page_stories.c.slug, page_stories.c.headline, page_stories.c.status, page_stories.c.version
            ).order_by(page_stories.c.opened_position)
        ).all()
    return [StorySummary(*row) for row in rows]
