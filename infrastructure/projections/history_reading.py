"""Reading the revision history: each event of a story (or of one update), told by its meaning.

The rows say which versions of the story the history holds (all, or one update's); those events
are read from the event store the read models were built from (the runner's application, whichever
database holds the read models), decoded as the application decodes them (upcast to their current
class version) and folded in version order (`domain.page_fold.PageFold.tell`), so each entry says
what the event changed from and to. An update's events tell all there is of that update, so its
history reads only those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from domain import rules
from domain.errors import StoryNotFound, UpdateNotFound
from domain.meanings import Values, meaning_of
from domain.page_fold import PageFold
from domain.story import Story
from infrastructure.projections.database import snapshot
from infrastructure.projections.history import history_events

if TYPE_CHECKING:
    from eventsourcing.application import Application

_RANGES = 16
"""At most this many reads of the store for one history: an update's events further apart than
that are read in one range, from its first to its last."""


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a story as the revision history tells it."""

    version: int
    at: datetime
    editor: str
    event_type: str
    update: int | None
    label: str
    reason: str | None
    before: Values | None
    after: Values | None
    signed_by: str | None = None
    """The fingerprint of the key that signed it, on a store that signs."""


def read_history(
    source: Connection | Engine, app: Application[Any], slug: str, update: int | None = None
) -> list[HistoryEntry]:
    """The story's events, oldest first, as the history tells them; with `update`, that update's.

    `source` holds the read models; `app` reads and decodes the events they were built from."""
    rows = read_history_rows(source, slug, update)
    fold = PageFold()
    entries = []
    stored_events = _stored_events(app, Story.id_for(slug), [row.version for row in rows])
    # What the row says (the type, the update) is the read model's to tell, and the audit's to check.
    for (_, event_type, number), stored in zip(rows, stored_events, strict=True):
        event: Any = app.mapper.to_domain_event(stored)
        told = fold.tell(event)
        entries.append(
            HistoryEntry(
                version=event.originator_version,
                at=event.timestamp,
                editor=event.editor,
                event_type=event_type,
                update=number,
                label=told.label,
                reason=meaning_of(event).reason(event),
                before=told.before,
                after=told.after,
                signed_by=_signer(event),
            )
        )
    return entries


def _signer(event: Any) -> str | None:
    if "signature" not in vars(event):
        return None  # an unsigned store's history loads no signature code
    from infrastructure.sshsig import signed_by

    return signed_by(event)


def read_history_rows(source: Connection | Engine, slug: str, update: int | None = None) -> list[Any]:
    """The history's rows of the story (or of one update), oldest first: each event's version,
    type and update number, as the read model holds them (no event read)."""
    story_id = Story.id_for(rules.valid_slug(slug))
    query = select(
        history_events.c.version, history_events.c.event_type, history_events.c.update_number
    ).where(history_events.c.story_id == story_id)
    if update is not None:
        query = query.where(history_events.c.update_number == update)
    with snapshot(source) as connection:
        rows = connection.execute(query.order_by(history_events.c.version)).all()
        if not rows:
            _refuse_empty(connection, slug, story_id, update)
    return list(rows)


def _stored_events(app: Application[Any], story_id: UUID, versions: list[int]) -> list[StoredEvent]:
    """The story's stored events of these versions (ascending), in as few reads as will do: one
    per run of consecutive versions, or one range when there are many runs."""
    runs = _runs(versions)
    if len(runs) > _RANGES:
        runs = [(versions[0], versions[-1])]
    wanted = set(versions)
    found: list[StoredEvent] = []
    for first, last in runs:
        stored: Sequence[StoredEvent] = app.recorder.select_events(story_id, gt=first - 1, lte=last)
        found += [s for s in stored if s.originator_version in wanted]
    return found


def _runs(versions: list[int]) -> list[tuple[int, int]]:
    """Ascending versions as runs of consecutive ones, (first, last) each."""
    runs: list[tuple[int, int]] = []
    for version in versions:
        if runs and runs[-1][1] == version - 1:
            runs[-1] = (runs[-1][0], version)
        else:
            runs.append((version, version))
    return runs


def _refuse_empty(connection: Connection, slug: str, story_id: Any, update: int | None) -> None:
    exists = connection.execute(
        select(history_events.c.version).where(history_events.c.story_id == story_id).limit(1)
    ).first()
    if exists is None:
        raise StoryNotFound(slug)
    last = connection.execute(
        select(func.max(history_events.c.update_number)).where(
            history_events.c.story_id == story_id,
            history_events.c.event_type.in_(("UpdatePosted", "SubmissionApproved")),
        )
    ).scalar()
    assert update is not None
    raise UpdateNotFound(slug, update, last or 0)
