"""The newsroom-wide log: every story event in store order, and who has written what."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import MapperDeserialisationError, Notification

from domain import rules
from domain.application import Newsroom
from domain.errors import StoryNotFound
from domain.meanings import meaning_of
from domain.story import STORY_TOPICS, Story
from infrastructure.audit.errors import EventUnreadable
from infrastructure.audit.records import OPENED_TOPIC, notification_pages

EVENT_TYPES: tuple[str, ...] = tuple(sorted(cls.__name__ for cls in Story.EVENT_CLASSES))


@dataclass(frozen=True)
class LogEntry:
    """One event as the log shows it: where it sits in the store, when, whose, what and why."""

    position: int
    at: datetime
    story: str
    version: int
    editor: str
    event_type: str
    what: str
    reason: str | None
    signed_by: str | None = None
    """The fingerprint of the key that signed it, on a store that signs."""


@dataclass(frozen=True)
class LogFilter:
    """Which events the log keeps; None keeps all. `since` and `until` are both inclusive."""

    story: str | None = None
    editor: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    event_type: str | None = None

    def keeps(self, entry: LogEntry) -> bool:
        return (
            (self.editor is None or entry.editor == self.editor)
            and (self.since is None or entry.at >= self.since)
            and (self.until is None or entry.at <= self.until)
            and (self.event_type is None or entry.event_type == self.event_type)
        )


def read_log(app: Newsroom, log_filter: LogFilter | None = None) -> Iterator[LogEntry]:
    """The events `log_filter` keeps, in store order, read as the application reads them."""
    log_filter = log_filter or LogFilter()
    only = Story.id_for(rules.valid_slug(log_filter.story)) if log_filter.story is not None else None
    topics = sorted(STORY_TOPICS)
    if log_filter.event_type is not None:
        # Opened events name the stories, so they are read whatever the type asked for.
        topics = sorted({OPENED_TOPIC, *(t for t in STORY_TOPICS if t.endswith(f".{log_filter.event_type}"))})
    slugs: dict[UUID, str] = {}
    for page in notification_pages(app, topics):
        for notification in page:
            if only is not None and notification.originator_id != only:
                continue
            event = _domain_event(app, notification)
            if isinstance(event, Story.Opened):
                slugs[event.originator_id] = event.slug
            entry = log_entry(notification.id, event, slugs.get(event.originator_id))
            if log_filter.keeps(entry):
                yield entry
    if log_filter.story is not None and only not in slugs:
        raise StoryNotFound(log_filter.story)


def _domain_event(app: Newsroom, notification: Notification) -> Story.Event:
    try:
        event = app.mapper.to_domain_event(notification)
    except MapperDeserialisationError as error:
        raise EventUnreadable(
            notification.id, notification.originator_id, notification.originator_version, str(error)
        ) from None
    assert isinstance(event, Story.Event)
    return event


def log_entry(position: int, event: Story.Event, slug: str | None) -> LogEntry:
    meaning = meaning_of(event)
    return LogEntry(
        position=position,
        at=event.timestamp,
        story=slug or str(event.originator_id),
        version=event.originator_version,
        editor=event.editor,
        event_type=type(event).__name__,
        what=meaning.summary(event),
        reason=meaning.reason(event),
        signed_by=_signer(event),
    )


def _signer(event: Story.Event) -> str | None:
    if "signature" not in vars(event):
        return None  # an unsigned store's log loads no signature code
    from infrastructure.sshsig import signed_by

    return signed_by(event)


@dataclass(frozen=True)
class EditorActivity:
    """What one editor has written: how many events of each type, in how many stories, and when."""

    editor: str
    events: int
    by_type: dict[str, int]
    stories: int
    first_at: datetime
    last_at: datetime
    keys: tuple[str, ...] = ()
    """The fingerprints of the keys their events were signed with, in the order first used."""


@dataclass
class _Tally:
    first_at: datetime
    last_at: datetime
    by_type: Counter[str] = field(default_factory=Counter)
    stories: set[str] = field(default_factory=set)
    keys: dict[str, None] = field(default_factory=dict)


def editor_activity(app: Newsroom) -> list[EditorActivity]:
    """Every editor who has written an event, by name, with counts per event type."""
    tallies: dict[str, _Tally] = {}
    for entry in read_log(app):
        tally = tallies.get(entry.editor)
        if tally is None:
            tally = tallies[entry.editor] = _Tally(first_at=entry.at, last_at=entry.at)
        tally.by_type[entry.event_type] += 1
        tally.stories.add(entry.story)
        if entry.signed_by is not None:
            tally.keys[entry.signed_by] = None
        tally.first_at = min(tally.first_at, entry.at)
        tally.last_at = max(tally.last_at, entry.at)
    return [
        EditorActivity(
            editor=name,
            events=sum(t.by_type.values()),
            by_type=dict(sorted(t.by_type.items())),
            stories=len(t.stories),
            first_at=t.first_at,
            last_at=t.last_at,
            keys=tuple(t.keys),
        )
        for name, t in sorted(tallies.items())
    ]
