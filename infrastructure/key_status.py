"""Whether the key store matches the event store: how many keys there are, how many were
destroyed, and which sealed events have neither a key nor a tombstone (a lost key store, or one
that belongs to another store)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import UUID

from domain.chain import SEALED_FIELD
from domain.story import STORY_TOPICS, Story
from infrastructure.audit.records import notification_pages
from infrastructure.bootstrap import Services
from infrastructure.keys import is_person_key
from infrastructure.sealed_layout import SEALED_MARK, envelope_parts, split_boxes


@dataclass(frozen=True)
class MissingKey:
    """A sealed event whose key is neither in the store nor destroyed: it reads as erased."""

    slug: str
    version: int
    key_id: str


@dataclass(frozen=True)
class KeyStatus:
    live: int
    destroyed: int
    sealed_events: int
    missing: list[MissingKey]
    person_keys: int = 0
    """Live keys of people (one per person whose name was recorded sealed)."""
    erased_people: int = 0

    @property
    def matches(self) -> bool:
        return not self.missing


def key_status(services: Services) -> KeyStatus:
    """Reads every story event's stored envelope (not its words) and checks its key."""
    app, keys = services.app, services.keys
    live = keys.live_ids()
    destroyed: set[str] = set()  # asked of the key store once each: one key seals many events
    slugs: dict[UUID | str, str] = {}
    sealed = 0
    missing: list[MissingKey] = []
    opened = Story.Opened.__qualname__
    for page in notification_pages(app, sorted(STORY_TOPICS)):
        for notification in page:
            story_id = notification.originator_id
            head = split_boxes(notification.state)[0]  # the JSON: envelopes, not words
            is_opened = notification.topic.endswith(opened)
            if not is_opened and SEALED_MARK not in head:
                continue  # neither a slug nor an envelope to read: left unparsed
            state = json.loads(head)
            if is_opened:
                slugs[story_id] = state["slug"]
            if SEALED_MARK not in head:
                continue
            envelopes = state.get(SEALED_FIELD) or ()
            sealed += 1
            for envelope in envelopes:
                key_id = envelope_parts(envelope)[0]
                if key_id in live or key_id in destroyed:
                    continue
                if keys.is_destroyed(key_id):
                    destroyed.add(key_id)
                    continue
                slug = slugs.get(story_id, str(story_id))
                missing.append(MissingKey(slug, notification.originator_version, key_id))
    counts = keys.counts()
    people = sum(1 for key_id in live if is_person_key(key_id))
    return KeyStatus(counts.live, counts.destroyed, sealed, missing, people, app.get_erasure_count())
