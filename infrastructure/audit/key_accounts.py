"""The audit's account of the key store: every sealed event's key is either there, or was destroyed
under an order or request that the record itself holds.

A takedown destroys an update's key (and that of the submission or scheduled post it came from)
leaving a tombstone under the takedown's order; an erasure destroys a person's key under the
erasure's request. A key that is simply gone, or whose tombstone names a reference that no
takedown or erasure in the record carries, makes the words it sealed read "removed on legal
grounds" with nothing to say who ordered it: not a break in any chain, but a finding an auditor
must see.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.story import Story
from infrastructure.audit.records import OPENED_TOPIC, ChainRecord
from infrastructure.keys import KeyStore, is_person_key, is_update_key, update_key_id

UPDATE_TAKEN_DOWN = get_topic(Story.UpdateTakenDown)
EARLIER_WORDS_TAKEN_DOWN = frozenset(
    {get_topic(Story.SubmissionTakenDown), get_topic(Story.ScheduledPostTakenDown)}
)


@dataclass(frozen=True)
class KeyFinding:
    """A key that sealed `events` events of a story (the first at `version`) and that is gone
    without a record of the order or request it was destroyed under."""

    slug: str
    story_id: UUID
    version: int
    events: int
    key_id: str
    detail: str


@dataclass
class _Sealed:
    story_id: UUID
    version: int
    events: int = 1


@dataclass
class KeyLedger:
    """Notes, as the audit reads the records, which keys sealed what and which orders the record
    holds; then holds the key store to them."""

    live: set[str]
    """The key store's live keys when reading began (a key made later is looked up again)."""
    gone: dict[str, _Sealed] = field(default_factory=dict)
    slugs: dict[UUID, str] = field(default_factory=dict)
    update_orders: dict[str, set[str]] = field(default_factory=dict)
    """Each taken-down update's key id: the orders its takedowns were made under."""
    story_orders: dict[UUID, set[str]] = field(default_factory=dict)
    """Each story: the orders of every takedown in it (an earlier-words key goes with any of them:
    with its own takedown, or with that of the update it became)."""

    def noting(self, records: Iterable[ChainRecord]) -> Iterator[ChainRecord]:
        """`records`, unchanged, each noted on the way through."""
        for record in records:
            self.note(record)
            yield record

    def note(self, record: ChainRecord) -> None:
        for key_id in record.key_ids:
            if key_id in self.live:
                continue
            sealed = self.gone.get(key_id)
            if sealed is None:
                self.gone[key_id] = _Sealed(record.story_id, record.version)
            else:
                sealed.events += 1
        state = record.state
        if state is None:
            return
        if record.topic == OPENED_TOPIC and isinstance(state.get("slug"), str):
            self.slugs[record.story_id] = state["slug"]
        elif record.topic == UPDATE_TAKEN_DOWN or record.topic in EARLIER_WORDS_TAKEN_DOWN:
            order = state.get("order")
            if not isinstance(order, str):
                return
            self.story_orders.setdefault(record.story_id, set()).add(order)
            if record.topic == UPDATE_TAKEN_DOWN and isinstance(state.get("number"), int):
                key_id = update_key_id(record.story_id, state["number"])
                self.update_orders.setdefault(key_id, set()).add(order)

    def findings(self, keys: KeyStore, erasure_requests: Iterable[str]) -> list[KeyFinding]:
        """Every key noted as gone that is still gone and that no takedown or erasure explains."""
        if not self.gone:
            return []
        made_since = keys.keys_of(list(self.gone))  # one read, however many (one parameter)
        still_gone = [key_id for key_id in self.gone if key_id not in made_since]
        references = keys.tombstones()
        requests = set(erasure_requests)
        found = []
        for key_id in still_gone:
            detail = self._unexplained(key_id, references.get(key_id), requests)
            if detail:
                sealed = self.gone[key_id]
                slug = self.slugs.get(sealed.story_id, str(sealed.story_id))
                found.append(KeyFinding(slug, sealed.story_id, sealed.version, sealed.events, key_id, detail))
        return sorted(found, key=lambda f: (f.slug, f.version, f.key_id))

    def _unexplained(self, key_id: str, reference: str | None, requests: set[str]) -> str:
        """Why the key's absence is unexplained, or "" if the record explains it."""
        if reference is None:
            return "its key is gone and no tombstone records why: deleted outside a takedown or an erasure"
        if is_person_key(key_id):
            explaining, which = requests, "no erasure in the record"
        elif is_update_key(key_id):
            explaining, which = self.update_orders.get(key_id, set()), "no takedown of its update"
        else:
            story_id = self.gone[key_id].story_id
            explaining, which = self.story_orders.get(story_id, set()), "no takedown in its story"
        if reference in explaining:
            return ""
        return f"its key was destroyed under {reference!r}, which {which} was made under"
