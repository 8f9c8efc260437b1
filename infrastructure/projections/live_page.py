"""The live-page projection: keeps `live_page_tables` equal to every story's page fold at every
version. Each event changes the page as its meaning says (`domain/meanings.py`), applied to the
part of the page that a batch loads: the stories' rows now and the rows of the updates the batch
touches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.engine import Connection

from domain.meanings import meaning_of
from domain.page import Header, Update
from domain.story import DRAFT, Story
from infrastructure.page_json import header_from_json, header_json, update_from_json, update_json
from infrastructure.projections.live_page_tables import (
    SHOWN_NOW,
    metadata,
    microseconds,
    page_headers,
    page_stories,
    page_updates,
)
from infrastructure.projections.projection import Notified, ReadModelProjection, Rows, insert_many
from infrastructure.projections.versions import LIVE_PAGE, PROJECTION_VERSIONS

_NAMES_AN_UPDATE = tuple(cls for cls in Story.EVENT_CLASSES if "number" in {f.name for f in fields(cls)})
"""The story events that concern one update (its row is loaded before a batch applies them)."""
_POSTS = (Story.UpdatePosted, Story.SubmissionApproved)
"""The events that start an update: there is no row of it to load."""
_FIRST_VERSION = Story.INITIAL_VERSION


class LivePageProjection(ReadModelProjection):
    """Keeps the live-page tables equal to every story's fold at every version, as readers see it."""

    name = LIVE_PAGE
    version = PROJECTION_VERSIONS[LIVE_PAGE]
    metadata = metadata

    def apply(self, connection: Connection, events: Sequence[Notified]) -> None:
        batch = _Batch()
        # A story whose first event is in the batch has no rows yet (each event is applied once,
        # in order): there is nothing of it to read, which in a rebuild is most stories.
        opened = {n.event.originator_id for n in events if n.event.originator_version == _FIRST_VERSION}
        batch.stories.load(
            connection, {(n.event.originator_id,) for n in events if n.event.originator_id not in opened}
        )
        batch.updates.load(
            connection,
            {
                (n.event.originator_id, n.event.number)  # type: ignore[attr-defined]
                for n in events
                if isinstance(n.event, _NAMES_AN_UPDATE)
                and not isinstance(n.event, _POSTS)
                and n.event.originator_id not in opened
            },
        )
        last: dict[Any, Story.Event] = {}
        for notified in events:
            last[notified.event.originator_id] = notified.event
            _StoryInBatch(batch, notified).apply()
        for story_id, event in last.items():
            # Only where the batch leaves each story: one change per story, not one per event.
            batch.stories.change((story_id,), version=event.originator_version, updated_at=event.timestamp)
        batch.stories.flush(connection)
        batch.updates.flush(connection)
        if batch.headers:
            insert_many(connection, page_headers, batch.headers)


class _Batch:
    """What a batch of events changes: the stories' rows now, their updates' rows, and the header
    rows of the versions that start no update row."""

    def __init__(self) -> None:
        self.stories = Rows(page_stories)
        self.updates = UpdateVersions()
        self.headers: list[tuple[Any, ...]] = []


class _StoryInBatch:
    """One story's page as an event of the batch changes it (a `domain.meanings.PageState`): the
    header is its `page_stories` row, each update its row shown now."""

    __slots__ = ("batch", "notified", "event", "key", "started_row", "header_changed")

    def __init__(self, batch: _Batch, notified: Notified) -> None:
        self.batch = batch
        self.notified = notified
        self.event = notified.event
        self.key = (self.event.originator_id,)
        self.started_row = False
        self.header_changed = False

    def apply(self) -> None:
        meaning_of(self.event).apply(self, self.event)
        if self.header_changed or not self.started_row:
            # Every version starts one row, which holds its time: here, the header as it stands.
            self._header_row()

    @property
    def header(self) -> Header:
        row = self.batch.stories.get(self.key)
        if row is None:
            return Header("", "", None, DRAFT, None)
        return header_from_json(row["header"])

    @header.setter
    def header(self, header: Header) -> None:
        self.header_changed = True
        values = {"header": header_json(header)}
        if not self.batch.stories.change(self.key, **values) and header.slug:
            event = self.event
            self.batch.stories.put(
                self.key,
                {
                    "story_id": event.originator_id,
                    "slug": header.slug,
                    **values,
                    "version": event.originator_version,
                    "updated_at": event.timestamp,
                    "opened_position": self.notified.position,
                },
            )

    def update(self, number: int) -> Update | None:
        return self.batch.updates.get((self.event.originator_id, number))

    def show(self, update: Update) -> None:
        self.batch.updates.show((self.event.originator_id, update.number), self.event, update)
        self.started_row = True

    def hide(self, number: int) -> None:
        self.batch.updates.end((self.event.originator_id, number), self.event.originator_version)

    def erase(self, number: int) -> None:
        self.batch.updates.erase((self.event.originator_id, number), self.event.originator_version)

    def _header_row(self) -> None:
        row = self.batch.stories.get(self.key)
        if row is not None:
            event = self.event
            self.batch.headers.append(
                (
                    event.originator_id,
                    event.originator_version,
                    microseconds(event.timestamp),
                    row["header"],
                )
            )


class UpdateVersions:
    """The rows of the updates a batch changes: each change ends the update's row shown now (at
    the event's version) and starts a new one; all written once, when the batch ends."""

    def __init__(self) -> None:
        # (story id, number) -> [from_version, update, its text, row to insert or None if stored]
        self.shown: dict[tuple[Any, int], list[Any]] = {}
        self.inserts: list[list[Any]] = []
        self.ends: list[dict[str, Any]] = []
        self.erasures: list[tuple[tuple[Any, int], int]] = []

    def load(self, connection: Connection, keys: set[tuple[Any, int]]) -> None:
        """Reads the rows shown now of these updates (story id, number)."""
        wanted = list(keys)
        columns = (page_updates.c.story_id, page_updates.c.number, page_updates.c.from_version)
        for start in range(0, len(wanted), 400):
            chunk = wanted[start : start + 400]
            query = select(*columns, page_updates.c.page).where(
                SHOWN_NOW, tuple_(page_updates.c.story_id, page_updates.c.number).in_(chunk)
            )
            for story_id, number, from_version, page in connection.execute(query):
                self.shown[(story_id, number)] = [from_version, None, page, None]

    def get(self, key: tuple[Any, int]) -> Update | None:
        shown = self.shown.get(key)
        if shown is None:
            return None
        if shown[1] is None:
            shown[1] = update_from_json(shown[2])
        return shown[1]  # type: ignore[no-any-return]

    def show(self, key: tuple[Any, int], event: Any, update: Update) -> None:
        """From `event` on, the update reads so (the row shown until then ends there)."""
        version = event.originator_version
        if key in self.shown:
            self.end(key, version)
        # In the table's column order: story_id, number, from_version, to_version, at, page, key_event.
        text = update_json(update)
        row = [key[0], key[1], version, None, microseconds(event.timestamp), text, update.key_event]
        self.inserts.append(row)
        self.shown[key] = [version, update, text, row]

    def end(self, key: tuple[Any, int], version: int) -> None:
        """The update is no longer shown from `version` on."""
        shown = self.shown.pop(key, None)
        if shown is None:
            return
        if shown[3] is not None:
            shown[3][3] = version
        else:
            self.ends.append({"key_story": key[0], "key_number": key[1], "key_from": shown[0], "to": version})

    def erase(self, key: tuple[Any, int], version: int) -> None:
        """Every row of the update that starts before `version` reads as erased (`Update.erased`),
        those of this batch now and the stored ones when it is written."""
        for row in self.inserts:
            if (row[0], row[1]) == key and row[2] < version:
                row[5] = update_json(update_from_json(row[5]).erased())
        self.erasures.append((key, version))

    def flush(self, connection: Connection) -> None:
        if self.ends:
            connection.execute(_END_ROW, self.ends)
        if self.inserts:
            insert_many(connection, page_updates, self.inserts)
        for key, version in self.erasures:
            _erase_rows(connection, key, version)
        self.shown.clear()
        self.inserts, self.ends, self.erasures = [], [], []


def _erase_rows(connection: Connection, key: tuple[Any, int], version: int) -> None:
    of_update = (
        page_updates.c.story_id == key[0],
        page_updates.c.number == key[1],
        page_updates.c.from_version < version,
    )
    rows = connection.execute(select(page_updates.c.from_version, page_updates.c.page).where(*of_update))
    erased = [
        {"key_from": from_version, "page": update_json(update_from_json(page).erased())}
        for from_version, page in rows
    ]
    if erased:
        statement = (
            update(page_updates)
            .where(*of_update[:2], page_updates.c.from_version == bindparam("key_from"))
            .values(page=bindparam("page"))
        )
        connection.execute(statement, erased)


_END_ROW = (
    update(page_updates)
    .where(
        page_updates.c.story_id == bindparam("key_story"),
        page_updates.c.number == bindparam("key_number"),
        page_updates.c.from_version == bindparam("key_from"),
    )
    .values(to_version=bindparam("to"))
)
