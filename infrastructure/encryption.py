"""The encryption seam: the library's mapper, sealing protected values on the way to the store and
opening them on the way back, with per-update keys from the key store (AES-256-GCM, `cryptography`).

A story event created sealed (`domain.chain`: it carries a salt per protected field) is stored with
each protected field replaced by its commitment, `{"commitment": hex}`, as its hash covers it, and
one envelope (`sealed`: key id, fields, nonce, ciphertext of the fields' `[salt, value]` pairs)
that no hash covers. The associated data binds a ciphertext to its event (topic, story, version,
key id), so it cannot be moved to another. Read back with its key, the event is as it was made;
without it (destroyed, lost, or the ciphertext damaged) each protected field reads as erased
(`[removed]`, a body of no blocks) and the event names them (`erased`): never an error.
Everything else (events stored before sealing, snapshots, other aggregates) is the library's path.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Hashable
from typing import Any, cast
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent, find_id_convertor
from eventsourcing.utils import get_topic, resolve_topic

from domain.chain import (
    COMMITMENT,
    ERASED_FIELD,
    ERASED_NAME,
    SALTS_FIELD,
    SEALED_FIELD,
    commitment,
    names_left_sealed,
    reading_for_rules,
)
from domain.errors import NameErased
from domain.story import Story
from infrastructure.keys import (
    PERSON_INDEX,
    PERSON_PREFIX,
    SCHEDULED,
    SUBMISSION,
    CachedKeys,
    KeyDestroyed,
    event_key_id,
    keys_after,
    person_key_id,
    update_key_id,
    words_key_id,
)

REMOVED = "[removed]"
"""How a protected text reads once its key is gone."""
_ERASED_VALUES: dict[str, Any] = {"body": ()}
_TAKEN_DOWN_TOPIC = get_topic(Story.UpdateTakenDown)
_EARLIER_TAKEN_DOWN = {
    get_topic(Story.SubmissionTakenDown): SUBMISSION,
    get_topic(Story.ScheduledPostTakenDown): SCHEDULED,
}
"""Takedowns of words that never became an update's: the kind of key each destroyed."""


class SealingMapper(Mapper[UUID]):
    """The library's mapper, sealing and opening protected values with keys from `keys`."""

    def __init__(self, mapper: Mapper[UUID], keys: CachedKeys) -> None:
        super().__init__(mapper.transcoder, cipher=mapper.cipher, compressor=mapper.compressor)
        self.keys = keys
        self._ciphers: dict[str, AESGCM | None] = {}
        self._person_ids: dict[str, str] = {}

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        salts = vars(domain_event).get(SALTS_FIELD)
        if not salts:
            return super().to_stored_event(domain_event)
        topic = get_topic(type(domain_event))
        state = dict(vars(domain_event))
        story_id = state.pop("originator_id")
        version = state.pop("originator_version")
        del state[SALTS_FIELD]
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        protected = getattr(type(domain_event), "protected", ())
        groups: dict[str, list[str]] = {}
        for name in salts:
            key_id = event_key_id(story_id, state) if name in protected else self._person(state[name])
            groups.setdefault(key_id, []).append(name)
        envelopes = [
            self._seal(
                topic, story_id, version, key_id, {name: [salts[name], state[name]] for name in fields}
            )
            for key_id, fields in groups.items()
        ]
        for name, salt in salts.items():
            state[name] = {COMMITMENT: commitment(salt, state[name])}
        state[SEALED_FIELD] = envelopes
        return StoredEvent(
            originator_id=story_id, originator_version=version, topic=topic, state=self._bytes(state)
        )

    def _seal(
        self, topic: str, story_id: UUID, version: int, key_id: str, secret: dict[str, Any]
    ) -> dict[str, Any]:
        """One envelope: `secret` (each field's `[salt, value]`) encrypted under `key_id`."""
        if key_id.startswith(PERSON_PREFIX):
            try:
                key = self.keys.key_for_sealing(key_id)
            except KeyDestroyed:
                raise NameErased(next(iter(secret.values()))[1]) from None
        else:
            key = self.keys.key_for_sealing(key_id, keys_after(key_id))  # an update's, a submission's...
        nonce = os.urandom(12)
        data = AESGCM(key).encrypt(
            nonce, self.transcoder.encode(secret), _bound(topic, story_id, version, key_id)
        )
        return {"key": key_id, "fields": list(secret), "nonce": _text(nonce), "data": _text(data)}

    def _person(self, name: str) -> str:
        """The id of the key that seals `name` (`keys.person_key_id`), worked out once a process."""
        key_id = self._person_ids.get(name)
        if key_id is None:
            key_id = self._person_ids[name] = person_key_id(self.keys.key_for_sealing(PERSON_INDEX), name)
        return key_id

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        if b'"' + SEALED_FIELD.encode() + b'"' not in stored_event.state and not self.cipher:
            event = super().to_domain_event(stored_event)
            self._read_back(stored_event.topic, cast(UUID, event.originator_id), vars(event))
            return event
        state = self._state(stored_event)
        envelopes = state.pop(SEALED_FIELD, None)
        if envelopes:
            self._open(stored_event, state, envelopes)
        return self._event(stored_event, state)

    def _open(self, stored: StoredEvent, state: dict[str, Any], envelopes: list[dict[str, Any]]) -> None:
        salts: dict[str, str] = {}
        erased: list[str] = []
        event_bound = f"{stored.topic}\n{stored.originator_id}\n{stored.originator_version}\n"
        for_rules, without_names = reading_for_rules(), names_left_sealed(stored.topic)
        for envelope in envelopes:
            key_id, fields = envelope["key"], envelope["fields"]
            person = key_id.startswith(PERSON_PREFIX)
            if (for_rules and not person) or (without_names and person):
                continue  # what this reader never reads: left sealed (its commitments)
            opened = self._opened((event_bound + key_id).encode(), key_id, envelope)
            for name in fields:
                if opened is None and person:
                    state[name] = ERASED_NAME  # a person erased: not the update's words
                elif opened is None:
                    state[name] = _ERASED_VALUES.get(name, REMOVED)
                    erased.append(name)
                else:
                    salts[name], state[name] = opened[name]
        if salts or for_rules or without_names:  # an event left sealed still reads as sealed
            state[SALTS_FIELD] = salts
        if erased:
            state[ERASED_FIELD] = erased

    def _opened(self, bound: bytes, key_id: str, envelope: dict[str, Any]) -> dict[str, Any] | None:
        """The envelope's `[salt, value]` pairs, or None without its key; `bound` is `_bound`'s."""
        cipher = self._cipher(key_id)
        if cipher is None:
            return None
        try:
            nonce, data = binascii.a2b_base64(envelope["nonce"]), binascii.a2b_base64(envelope["data"])
            data = cipher.decrypt(nonce, data, bound)
        except (InvalidTag, binascii.Error):
            return None  # not sealed by this key, or damaged: as good as erased
        if key_id.startswith(PERSON_PREFIX):
            return cast(dict[str, Any], json.loads(data))  # names: plain JSON, no stored types
        return cast(dict[str, Any], self.transcoder.decode(data))

    def _cipher(self, key_id: str) -> AESGCM | None:
        if key_id not in self._ciphers:
            key = self.keys.key(key_id)
            self._ciphers[key_id] = None if key is None else AESGCM(key)
        return self._ciphers[key_id]

    def forget_person(self, name: str, key_id: str) -> None:
        """Drops what this process knows of `name`'s key: it was erased."""
        self._person_ids.pop(name, None)
        self.forget(key_id)

    def forget(self, key_id: str) -> None:
        """Drops the key read for `key_id`: it was destroyed, here or (a takedown read back) elsewhere."""
        self._ciphers.pop(key_id, None)
        self.keys.forget(key_id)

    def _read_back(self, topic: str, story_id: UUID, state: dict[str, Any]) -> None:
        """Forgets the keys a takedown read back destroyed (any other event: nothing)."""
        if topic == _TAKEN_DOWN_TOPIC:
            self._taken_down(story_id, state["number"])
        elif topic in _EARLIER_TAKEN_DOWN:
            kind = _EARLIER_TAKEN_DOWN[topic]
            self.forget(words_key_id(story_id, kind, state[kind]))

    def _taken_down(self, story_id: UUID, number: int) -> None:
        """A takedown read back: the update's key is gone, and with it perhaps the key of the
        submission or scheduled post it came from, which the event does not name: every such key
        of the story kept here is dropped (read again from the key store when next needed)."""
        self.forget(update_key_id(story_id, number))
        for kind in (SUBMISSION, SCHEDULED):
            prefix = f"{kind}/{story_id}/"
            for key_id in [k for k in self._ciphers if k.startswith(prefix)]:
                del self._ciphers[key_id]
            self.keys.forget_prefix(prefix)

    def _bytes(self, state: dict[str, Any]) -> bytes:
        data = self.transcoder.encode(state)
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return data

    def _state(self, stored: StoredEvent) -> dict[str, Any]:
        data = stored.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            return cast(dict[str, Any], self.transcoder.decode(data))
        except Exception as error:
            msg = f"Failed to deserialise state of stored event with topic {stored.topic!r}: {error}"
            raise MapperDeserialisationError(msg) from error

    def _event(self, stored: StoredEvent, state: dict[str, Any]) -> DomainEventProtocol[UUID]:
        # As the library's Mapper.to_domain_event ends: the id, the version, then upcasting.
        cls = resolve_topic(stored.topic)
        convert = find_id_convertor(cls, cast(Hashable, type(stored.originator_id)))
        state["originator_id"] = convert(stored.originator_id)
        state["originator_version"] = stored.originator_version
        class_version = getattr(cls, "class_version", 1)
        from_version = state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        self._read_back(stored.topic, state["originator_id"], state)
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return cast(DomainEventProtocol[UUID], event)


def _bound(topic: str, story_id: Any, version: int, key_id: str) -> bytes:
    """The associated data that ties a ciphertext to its event."""
    return f"{topic}\n{story_id}\n{version}\n{key_id}".encode()


def _text(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
