"""The live-page read model's tables: every story's page now and at every past version.

The model is temporal: each version of an update's row is kept with the story versions it was
shown for (`from_version` up to, not including, `to_version`; NULL while it is shown now), and
each version of the story's header from the version that made it. A row holds the update, or the
header, as `infrastructure/page_json.py` writes it (`update_json`, `header_json`), so a page, now
or at a past version, is one indexed query of its updates' rows, and a new header field needs no
new column.

- `page_stories`: one row per story, the header now, for the page and the story list;
- `page_headers`: the header from each version that changed it (or that started no update row,
  such as a retraction);
- `page_updates`: each version of each update; a retraction ends the last. Its `key_event` says
  what the row's update says, so that the key events list of a long story, and a page of it
  (`page_window.py`), read only the rows they show.
Every version of a story starts exactly one row of the last two, which holds that version's time
(`at_microseconds`): the time of a past page, and the version at a time (`--at`), come from those.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    DDL,
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    event,
    true,
)

from infrastructure.projections.database import Moment

metadata = MetaData()

page_stories = Table(
    "page_stories",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("header", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("opened_position", BigInteger, nullable=False, index=True),
)

page_headers = Table(
    "page_headers",
    metadata,
    Column("story_id", Uuid, primary_key=True),
    Column("from_version", Integer, primary_key=True),
    Column("at_microseconds", BigInteger, nullable=False),
    Column("header", Text, nullable=False),
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
    Column("key_event", Boolean, nullable=False),
)
SHOWN_NOW = page_updates.c.to_version.is_(None)
KEY_EVENTS = page_updates.c.key_event == true()
"""The rows of key events. The key events list covers the whole story: its rows are found by
their own partial index, which holds only them (few, however long the story), in each store's
own SQL for `KEY_EVENTS` as it renders there (`key_event = 1`, `key_event = true`), since SQLite
uses a partial index only for a query holding its condition as written."""
for dialect, condition in (("sqlite", "key_event = 1"), ("postgresql", "key_event = true")):
    event.listen(
        page_updates,
        "after_create",
        DDL(
            "CREATE INDEX page_updates_key_events ON %(fullname)s (story_id, key_event, number) "
            "WHERE " + condition
        ).execute_if(dialect=dialect),
    )
# The rows shown now, one per update: a partial index, in the SQL both stores share (an `Index`
# with `postgresql_where=` would import SQLAlchemy's PostgreSQL dialect on SQLite too).
event.listen(
    page_updates,
    "after_create",
    DDL("CREATE UNIQUE INDEX page_updates_now ON %(fullname)s (story_id, number) WHERE to_version IS NULL"),
)


def shown_at(version: int) -> object:
    """The condition on `page_updates` for the rows shown at `version`."""
    return (page_updates.c.from_version <= version) & (
        (page_updates.c.to_version > version) | page_updates.c.to_version.is_(None)
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def microseconds(moment: datetime) -> int:
    """A time as whole microseconds since 1970 UTC: exact, sortable and cheap on both stores."""
    return (moment - _EPOCH) // _MICROSECOND


def from_microseconds(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)
