"""The live-page read model: what readers see of every story, now and at every past version.

The model is temporal: each version of an update's row is kept with the story versions it was
shown for (`from_version` up to, not including, `to_version`; NULL while it is shown now), and
each version of the story's header from the version that made it. A row holds the update as
readers get it: the text the page's JSON output shows for it, and its key-event entry
(`rendering/page_view.py`); so reading a page, now or at a past version, is one indexed query of
its updates' rows, with nothing to decode until a renderer needs it. `read_live_page` reads the
page now; `time_travel.read_page_at` a past one.

Tables: `page_stories` (one row per story: the header now, for the page and the story list),
`page_headers` (the header from each version that changed it, or retracted an update) and
`page_updates` (each version of each update; a retraction ends the last). Every version of a story
starts exactly one row of these two, which holds that version's time (`at_microseconds`): the
time of a past page, and the version at a time (`--at`), come from those.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    and_,
    bindparam,
    select,
    tuple_,
    update,
)
from sqlalchemy.engine import Connection, Engine

from domain import rules
from domain.application import StorySummary
from domain.blocks import (
    block_from_dict,
    quotes_in,
)
from domain.errors import StoryNotFound
from domain.story import CLOSED, DRAFT, LIVE, Story
from infrastructure.projections.database import Moment, snapshot
from infrastructure.projections.projection import Notified, ReadModelProjection, Rows, insert_many
from infrastructure.rendering.page_view import (
    NOT_PINNED,
    PINNED,
    PageView,
    blocks_text,
    corrections_text,
    key_event_text,
    update_text,
)
from infrastructure.rendering.times import iso

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

page_headers = Table(
    "page_headers",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("from_version", Integer, primary_key=True),
    Column("at_microseconds", BigInteger, nullable=False),
    Column("headline", Text, nullable=False),
    Column("standfirst", Text),
    Column("status", String(16), nullable=False),
    Column("pinned", Integer),
)

page_updates = Table(
    "page_updates",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("from_version", Integer, primary_key=True),
    Column("to_version", Integer),
    Column("at_microseconds", BigInteger, nullable=False),
    Column("page", Text, nullable=False),
    Column("key_event", Text),
)
_CURRENT = page_updates.c.to_version.is_(None)
Index(
    "page_updates_now",
    page_updates.c.story_id,
    page_updates.c.number,
    unique=True,
    sqlite_where=_CURRENT,
    postgresql_where=_CURRENT,
)

_NEEDS_UPDATE_ROW = (
    Story.UpdateRevised,
    Story.QuoteCorrected,
    Story.UpdateRetracted,
    Story.KeyEventMarked,
    Story.KeyEventUnmarked,
)


class LivePageProjection(ReadModelProjection):
    """Keeps the live-page tables equal to every story's fold at every version, as readers see it."""

    name = "live-page"
    version = 2
    metadata = metadata

    def apply(self, connection: Connection, events: Sequence[Notified]) -> None:
        batch = _Batch()
        batch.stories.load(connection, {(n.event.originator_id,) for n in events})
        batch.updates.load(
            connection,
            {
                (n.event.originator_id, n.event.number)
                for n in events
                if isinstance(n.event, _NEEDS_UPDATE_ROW)
            },
        )
        last: dict[Any, Any] = {}
        for notified in events:
            event = notified.event
            last[event.originator_id] = event
            if isinstance(event, Story.Opened):
                batch.stories.put((event.originator_id,), _opened_row(notified))
                batch.header_changed(event)
            else:
                _HANDLERS[type(event)](notified, batch)
        for story_id, event in last.items():
            # Only where the batch leaves each story: one change per story, not one per event.
            batch.stories.change((story_id,), version=event.originator_version, updated_at=event.timestamp)
        batch.stories.flush(connection)
        batch.updates.flush(connection)
        if batch.headers:
            insert_many(connection, page_headers, batch.headers)


class _Batch:
    """What a batch of events changes: the stories' rows now, their updates' page rows, and the
    header rows of the versions that changed a header (or retracted an update)."""

    def __init__(self) -> None:
        self.stories = Rows(page_stories)
        self.updates = UpdateVersions()
        self.headers: list[tuple[Any, ...]] = []

    def header_changed(self, event: Any) -> None:
        """The story's header (as `page_stories` now holds it) is shown from this event on."""
        row = self.stories.get((event.originator_id,))
        if row is not None:
            self.headers.append(
                (
                    event.originator_id,
                    event.originator_version,
                    microseconds(event.timestamp),
                    row["headline"],
                    row["standfirst"],
                    row["status"],
                    row["pinned"],
                )
            )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def microseconds(moment: datetime) -> int:
    """A time as whole microseconds since 1970 UTC: exact, sortable and cheap on both stores."""
    return (moment - _EPOCH) // _MICROSECOND


def from_microseconds(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def _iso(moment: datetime) -> str:
    """`iso()`, quicker for the UTC times events carry."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else iso(moment) or ""


@dataclass(slots=True)
class UpdatePage:
    """An update's row: its page as readers get it (`rendering/page_view.py`; never pinned, which
    is the header's to say), with blocks and corrections kept as text, so that a change formats
    only what it changes. Never changed in place (`replace` makes the next version): not frozen
    only because a frozen dataclass takes twice as long to build."""

    number: int
    title: str
    byline: str | None
    posted_at: str
    revised_at: str | None
    key_event: bool
    blocks: str
    corrections: str = "[]"

    def row(self) -> tuple[str, str | None]:
        """The row's `page` and `key_event` texts; `parse` reads the first back."""
        page = update_text(
            self.number,
            self.title,
            self.byline,
            self.posted_at,
            self.revised_at,
            False,
            self.key_event,
            self.blocks,
            self.corrections,
        )
        return page, key_event_text(self.number, self.title, self.posted_at) if self.key_event else None

    @classmethod
    def parse(cls, text: str) -> UpdatePage:
        # Every quote inside a JSON string is escaped, so these keys cannot occur in the values.
        blocks = text.index(_BLOCKS)
        corrections = text.rindex(_CORRECTIONS)
        head = json.loads(text[:blocks] + "}")
        return cls(
            head["number"],
            head["title"],
            head["byline"],
            head["posted_at"],
            head["revised_at"],
            head["key_event"],
            text[blocks + len(_BLOCKS) : corrections],
            text[corrections + len(_CORRECTIONS) : -1],
        )


_BLOCKS = ',"blocks":'
_CORRECTIONS = ',"corrections":'


class UpdateVersions:
    """The page rows of the updates a batch changes: each change ends the update's row shown now
    (at the event's version) and starts a new one; all written once, when the batch ends."""

    def __init__(self) -> None:
        # (story id, number) -> [from_version, page text, row to insert or None if stored]
        self.shown: dict[tuple[Any, int], list[Any]] = {}
        self.inserts: list[list[Any]] = []
        self.ends: list[dict[str, Any]] = []

    def load(self, connection: Connection, keys: set[tuple[Any, int]]) -> None:
        """Reads the rows shown now of these updates (story id, number)."""
        wanted = list(keys)
        columns = (page_updates.c.story_id, page_updates.c.number, page_updates.c.from_version)
        for start in range(0, len(wanted), 400):
            chunk = wanted[start : start + 400]
            query = select(*columns, page_updates.c.page).where(
                _CURRENT, tuple_(page_updates.c.story_id, page_updates.c.number).in_(chunk)
            )
            for story_id, number, from_version, page in connection.execute(query):
                self.shown[(story_id, number)] = [from_version, page, None]

    def get(self, key: tuple[Any, int]) -> UpdatePage | None:
        shown = self.shown.get(key)
        return None if shown is None else UpdatePage.parse(shown[1])

    def show(self, key: tuple[Any, int], event: Any, texts: tuple[str, str | None]) -> None:
        """From `event` on, the update reads `texts` (its page, its key-event entry or None; the
        row shown until then ends there)."""
        version = event.originator_version
        self.end(key, version)
        # In the table's column order: story_id, number, from_version, to_version, at, page, key_event.
        row = [key[0], key[1], version, None, microseconds(event.timestamp), *texts]
        self.inserts.append(row)
        self.shown[key] = [version, texts[0], row]

    def end(self, key: tuple[Any, int], version: int) -> None:
        """The update is no longer shown from `version` on."""
        shown = self.shown.pop(key, None)
        if shown is None:
            return
        if shown[2] is not None:
            shown[2][3] = version
        else:
            self.ends.append({"key_story": key[0], "key_number": key[1], "key_from": shown[0], "to": version})

    def flush(self, connection: Connection) -> None:
        if self.ends:
            connection.execute(_END_ROW, self.ends)
        if self.inserts:
            insert_many(connection, page_updates, self.inserts)
        self.shown.clear()
        self.inserts, self.ends = [], []


_END_ROW = (
    update(page_updates)
    .where(
        page_updates.c.story_id == bindparam("key_story"),
        page_updates.c.number == bindparam("key_number"),
        page_updates.c.from_version == bindparam("key_from"),
    )
    .values(to_version=bindparam("to"))
)


def _opened_row(notified: Notified) -> dict[str, Any]:
    event: Any = notified.event
    return {
        "story_id": event.originator_id,
        "slug": event.slug,
        "headline": event.headline,
        "standfirst": event.standfirst,
        "status": DRAFT,
        "version": event.originator_version,
        "updated_at": event.timestamp,
        "pinned": None,
        "opened_position": notified.position,
    }


def _header(**change: Callable[[Any], Any]) -> Callable[[Notified, _Batch], None]:
    """A handler that changes the story's header: each column to its function of the event."""

    def handle(notified: Notified, batch: _Batch) -> None:
        event: Any = notified.event
        batch.stories.change((event.originator_id,), **{name: f(event) for name, f in change.items()})
        batch.header_changed(event)

    return handle


def _update_posted(notified: Notified, batch: _Batch) -> None:
    event: Any = notified.event
    body = notified.body_text()
    assert body is not None, "a post always has a body"
    posted_at = _iso(event.timestamp)
    page = update_text(
        event.number,
        event.title,
        event.byline,
        posted_at,
        None,
        False,
        event.key_event,
        body,
        "[]",
    )
    key_event = key_event_text(event.number, event.title, posted_at) if event.key_event else None
    batch.updates.show((event.originator_id, event.number), event, (page, key_event))


def _update_revised(notified: Notified, batch: _Batch) -> None:
    event: Any = notified.event
    key = (event.originator_id, event.number)
    page = batch.updates.get(key)
    if page is None:
        return
    body = notified.body_text()
    page = replace(
        page,
        title=page.title if event.title is None else event.title,  # None: the revision kept it
        blocks=page.blocks if body is None else body,  # None: the revision kept the body
        revised_at=_iso(event.timestamp),
    )
    batch.updates.show(key, event, page.row())


def _quote_corrected(notified: Notified, batch: _Batch) -> None:
    event: Any = notified.event
    key = (event.originator_id, event.number)
    page = batch.updates.get(key)
    if page is None:
        return
    blocks = [block_from_dict(b) for b in json.loads(page.blocks)]
    position, old = quotes_in(tuple(blocks))[event.quote - 1]
    blocks[position] = event.corrected(old)
    corrections = json.loads(page.corrections)
    corrections.append(
        {"at": _iso(event.timestamp), "quote": event.quote, "note": event.note, "editor": event.editor}
    )
    page = replace(page, blocks=blocks_text(blocks), corrections=corrections_text(corrections))
    batch.updates.show(key, event, page.row())


def _update_retracted(notified: Notified, batch: _Batch) -> None:
    event: Any = notified.event
    # Readers no longer see it, and the rules let nothing change it again.
    batch.updates.end((event.originator_id, event.number), event.originator_version)
    # Every version starts one row, which holds its time: here, the header as it stands.
    batch.header_changed(event)


def _key_event(key_event: bool) -> Callable[[Notified, _Batch], None]:
    def handle(notified: Notified, batch: _Batch) -> None:
        event: Any = notified.event
        key = (event.originator_id, event.number)
        page = batch.updates.get(key)
        if page is not None:
            batch.updates.show(key, event, replace(page, key_event=key_event).row())

    return handle


_HANDLERS: dict[type, Callable[[Notified, _Batch], None]] = {
    Story.HeadlineChanged: _header(headline=lambda e: e.headline),
    Story.StandfirstChanged: _header(standfirst=lambda e: e.standfirst),
    Story.Published: _header(status=lambda _: LIVE),
    Story.Closed: _header(status=lambda _: CLOSED),
    Story.Reopened: _header(status=lambda _: LIVE),
    Story.UpdatePosted: _update_posted,
    Story.UpdateRevised: _update_revised,
    Story.QuoteCorrected: _quote_corrected,
    Story.UpdateRetracted: _update_retracted,
    Story.UpdatePinned: _header(pinned=lambda e: e.number),
    Story.UpdateUnpinned: _header(pinned=lambda _: None),
    Story.KeyEventMarked: _key_event(True),
    Story.KeyEventUnmarked: _key_event(False),
}
assert set(_HANDLERS) | {Story.Opened} == set(Story.EVENT_CLASSES), "every story event must be handled"


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


def read_live_page(source: Connection | Engine, slug: str) -> PageView:
    """The story's page now from the read model: two queries on one snapshot, nothing to decode."""
    story_id = Story.id_for(rules.valid_slug(slug))
    with snapshot(source) as connection:
        story = connection.execute(select(*_STORY_COLUMNS).where(page_stories.c.story_id == story_id)).first()
        if story is None:
            raise StoryNotFound(slug)
        rows = read_update_rows(connection, story_id, _CURRENT)
    slug, headline, standfirst, status, version, updated_at, pinned = story
    return page_of(slug, headline, standfirst, status, version, iso(updated_at) or "", pinned, rows)


def read_update_rows(connection: Connection, story_id: Any, shown: Any, *, starts: bool = False) -> list[Any]:
    """The (number, page, key_event) rows of the story's updates that match `shown`, newest first;
    with `starts`, each row's from_version and at_microseconds too."""
    columns = [page_updates.c.number, page_updates.c.page, page_updates.c.key_event]
    if starts:
        columns += [page_updates.c.from_version, page_updates.c.at_microseconds]
    result = connection.execute(
        select(*columns)
        .where(page_updates.c.story_id == story_id, shown)
        .order_by(page_updates.c.number.desc())
    )
    # The driver's own tuples: thousands of rows skip SQLAlchemy's per-value processing.
    return list(result.cursor.fetchall()) if result.cursor is not None else []


def page_of(
    slug: str,
    headline: str,
    standfirst: str | None,
    status: str,
    version: int,
    updated_at: str,
    pinned: int | None,
    rows: list[Any],
) -> PageView:
    """The page from its header and its updates' rows, newest first: the pinned one goes first."""
    pages = [row[1] for row in rows]
    if pinned is not None:
        for index, row in enumerate(rows):
            if row[0] == pinned:
                del pages[index]
                pages.insert(0, row[1].replace(NOT_PINNED, PINNED, 1))
                break
    return PageView(
        slug=slug,
        headline=headline,
        standfirst=standfirst,
        status=status,
        version=version,
        updated_at=updated_at,
        key_event_texts=[row[2] for row in rows if row[2] is not None],
        update_texts=pages,
    )


def shown_at(version: int) -> Any:
    """The condition on `page_updates` for the rows shown at `version`."""
    return and_(
        page_updates.c.from_version <= version,
        (page_updates.c.to_version > version) | page_updates.c.to_version.is_(None),
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
