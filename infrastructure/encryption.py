"""The encryption seam: the library's mapper, sealing protected values on the way to the store and
opening them on the way back, with per-update keys from the key store (AES-256-GCM, `cryptography`).

A story event created sealed (`domain.chain`: it carries a salt per protected field) is stored in
the layout of `sealed_layout`: its JSON with each such field `null` and an envelope per key, then
each envelope's box (the fields' commitments, a nonce, the ciphertext); earlier layouts read as
before. Read back with its key, the event is as it was made; without it (destroyed, lost, or the
ciphertext damaged) each protected field reads as erased (`[removed]`, a body of no blocks) and
the event names them (`erased`): never an error. A reader opens only what it reads
(`chain.read_for_rules`, `chain.read_for_read_models`): a field left sealed holds its commitment.
Everything else (events stored before sealing, snapshots, other aggregates) is the library's path.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Hashable
from typing import Any, cast
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
    find_id_convertor,
)
from eventsourcing.utils import get_topic, resolve_topic

from domain.chain import (
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
from infrastructure.sealed_layout import (
    BOXES,
    COMMITMENT_BYTES,
    NONCE_BYTES,
    SEALED_MARK,
    as_boxed,
    bound_prefix,
    box_of_base64,
    commitments_at_head,
    deflated,
    envelope_parts,
    inflated,
    split_boxes,
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
_TAKEDOWNS = frozenset({_TAKEN_DOWN_TOPIC, *_EARLIER_TAKEN_DOWN})
"""The events whose reading back destroys keys this process keeps (`_read_back`)."""


class SealingMapper(Mapper[UUID]):
    """The library's mapper, sealing and opening protected values with keys from `keys`."""

    def __init__(self, mapper: Mapper[UUID], keys: CachedKeys) -> None:
        super().__init__(mapper.transcoder, cipher=mapper.cipher, compressor=mapper.compressor)
        self.keys = keys
        self._ciphers: dict[str, AESGCM | None] = {}
        self._person_ids: dict[str, str] = {}
        self._kinds: dict[tuple[str, type], tuple[type, Callable[[Any], Any], int]] = {}
        """Per topic and id type: the event class, its id convertor and class version."""
        self._decode = _decoder(self.transcoder)

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
        boxes = [
            b"".join(bytes.fromhex(commitment(salts[name], state[name])) for name in fields)
            + self._seal(
                topic, story_id, version, key_id, [[salts[n] for n in fields], *(state[n] for n in fields)]
            )
            for key_id, fields in groups.items()
        ]
        for name in salts:
            state[name] = None  # in its box: the field keeps its place in the JSON
        state[SEALED_FIELD] = [
            [key_id, fields, len(box)] for (key_id, fields), box in zip(groups.items(), boxes, strict=True)
        ]
        data = self.transcoder.encode(state) + BOXES + b"".join(boxes)
        return StoredEvent(
            originator_id=story_id, originator_version=version, topic=topic, state=self._wrapped(data)
        )

    def _seal(self, topic: str, story_id: UUID, version: int, key_id: str, secret: list[Any]) -> bytes:
        """A box's nonce and ciphertext: `secret` (the fields' salts, then their values) encrypted
        under `key_id`; words compressed first (`deflated`), a name as it is."""
        plain = self.transcoder.encode(secret)
        if key_id.startswith(PERSON_PREFIX):
            try:
                key = self.keys.key_for_sealing(key_id)
            except KeyDestroyed:
                raise NameErased(secret[1]) from None
        else:
            key = self.keys.key_for_sealing(key_id, keys_after(key_id))  # an update's, a submission's...
            plain = deflated(plain)
        nonce = os.urandom(NONCE_BYTES)
        bound = bound_prefix(topic, story_id, version) + key_id
        return nonce + AESGCM(key).encrypt(nonce, plain, bound.encode())

    def _person(self, name: str) -> str:
        """The id of the key that seals `name` (`keys.person_key_id`), worked out once a process."""
        key_id = self._person_ids.get(name)
        if key_id is None:
            key_id = self._person_ids[name] = person_key_id(self.keys.key_for_sealing(PERSON_INDEX), name)
        return key_id

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        data = stored_event.state
        if self.cipher or self.compressor:
            data = self._unwrapped(stored_event)
        elif SEALED_MARK not in data:
            event = super().to_domain_event(stored_event)
            if stored_event.topic in _TAKEDOWNS:
                self._read_back(stored_event.topic, event.originator_id, vars(event))  # type: ignore[arg-type]
            return event
        head, boxes = split_boxes(data)
        try:
            state: dict[str, Any] = self._decode(head)
        except Exception as error:
            raise _undecodable(stored_event, error) from error
        envelopes = state.pop(SEALED_FIELD, None)
        if envelopes:
            self._open(stored_event, state, envelopes, boxes)
        return self._event(stored_event, state)

    def _open(self, stored: StoredEvent, state: dict[str, Any], envelopes: list[Any], boxes: bytes) -> None:
        """Opens the envelopes this reader reads into `state`, with `salts`; leaves the others
        sealed (each field its commitment); a field whose key is gone reads as erased."""
        salts: dict[str, str] = {}
        erased: list[str] = []
        bound = ""
        leave_words, leave_names = reading_for_rules(), names_left_sealed(stored.topic)
        end = 0
        for envelope in envelopes:
            key_id, fields, size = envelope if type(envelope) is list else envelope_parts(envelope)
            person = key_id.startswith(PERSON_PREFIX)
            box: bytes | None
            if size is not None:
                start, end = end, end + size
                sealed_at = start + len(fields) * COMMITMENT_BYTES
                if leave_names if person else leave_words:
                    state.update(commitments_at_head(fields, boxes[start:sealed_at]))
                    continue  # what this reader never reads
                box = boxes[sealed_at:end]
            elif leave_names if person else leave_words:
                continue  # sealed before boxes: the JSON holds the commitments
            else:
                box = box_of_base64(envelope)
            if person:
                cipher = self._ciphers[key_id] if key_id in self._ciphers else self._person_cipher(key_id)
            else:
                key = self.keys.key(key_id)  # an update's opens a few events: no cipher kept
                cipher = None if key is None else AESGCM(key)
            opened = None
            if cipher is not None and box is not None:
                if not bound:
                    story = _story_text(stored.originator_id)
                    bound = bound_prefix(stored.topic, story, stored.originator_version)
                try:
                    data = cipher.decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], (bound + key_id).encode())
                except (InvalidTag, ValueError):
                    pass  # not sealed by this key, or damaged: as good as erased
                else:
                    if person:
                        opened = json.loads(data)  # names: no stored types
                    else:
                        words = inflated(data)
                        opened = None if words is None else self._decode(words)
                    if size is None:
                        opened = as_boxed(opened, fields)  # sealed before boxes: each field's [salt, value]
            if opened is not None and len(opened) == len(fields) + 1 and len(opened[0]) == len(fields):
                for name, salt, value in zip(fields, opened[0], opened[1:], strict=True):
                    salts[name], state[name] = salt, value
            elif person:
                for name in fields:
                    state[name] = ERASED_NAME  # a person erased: not the update's words
            else:
                for name in fields:
                    state[name] = _ERASED_VALUES.get(name, REMOVED)
                erased += fields
        if salts or leave_words or leave_names:  # an event left sealed still reads as sealed
            state[SALTS_FIELD] = salts
        if erased:
            state[ERASED_FIELD] = erased

    def _person_cipher(self, key_id: str) -> AESGCM | None:
        """The cipher of a person's key, kept: one person's key opens many events."""
        key = self.keys.key(key_id)
        cipher = self._ciphers[key_id] = None if key is None else AESGCM(key)
        return cipher

    def forget_person(self, name: str, key_id: str) -> None:
        """Drops what this process knows of `name`'s key: it was erased."""
        self._person_ids.pop(name, None)
        self.forget(key_id)

    def forget(self, key_id: str) -> None:
        """Drops the key read for `key_id`: it was destroyed, here or (a takedown read back) elsewhere."""
        self._ciphers.pop(key_id, None)
        self.keys.forget(key_id)

    def read_back(self, stored: StoredEvent) -> None:
        """A takedown or an erasure recorded by another process: forgets the keys it destroyed
        (an erasure's, the key sealing its `name`, named in clear by its envelope), without
        opening anything."""
        data = self._unwrapped(stored) if self.cipher or self.compressor else stored.state
        state: dict[str, Any] = self._decode(split_boxes(data)[0])
        if stored.topic in _TAKEDOWNS:
            self._read_back(stored.topic, stored.originator_id, state)  # type: ignore[arg-type]
            return
        for envelope in state.get(SEALED_FIELD) or ():
            key_id, fields, _ = envelope_parts(envelope)
            if "name" in fields:
                self.forget(key_id)

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
            self.keys.forget_prefix(f"{kind}/{story_id}/")  # no cipher is kept but a person's

    def _wrapped(self, data: bytes) -> bytes:
        """As the library stores state: compressed, then encrypted, if the store says so."""
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return data

    def _unwrapped(self, stored: StoredEvent) -> bytes:
        data = stored.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
        except Exception as error:
            raise _undecodable(stored, error) from error
        return data

    def _event(self, stored: StoredEvent, state: dict[str, Any]) -> DomainEventProtocol[UUID]:
        # As the library's Mapper.to_domain_event ends: the id, the version, then upcasting.
        kind = (stored.topic, type(stored.originator_id))
        if kind not in self._kinds:
            cls = resolve_topic(stored.topic)
            convertor = find_id_convertor(cls, cast(Hashable, kind[1]))
            self._kinds[kind] = (cls, convertor, getattr(cls, "class_version", 1))
        cls, convert, class_version = self._kinds[kind]
        state["originator_id"] = convert(stored.originator_id)
        state["originator_version"] = stored.originator_version
        from_version = state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        if stored.topic in _TAKEDOWNS:
            self._read_back(stored.topic, state["originator_id"], state)
        event: Any = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event  # type: ignore[no-any-return]


def _decoder(transcoder: Transcoder) -> Callable[[bytes], Any]:
    """`transcoder.decode`; for the library's JSON transcoder, the same parse without its checks
    for whitespace around the JSON, which the store never writes (a sealed event parses twice)."""
    if type(transcoder) is not JSONTranscoder:
        return transcoder.decode
    parse = transcoder.decoder.raw_decode

    def decode(data: bytes) -> Any:
        text = data.decode("utf-8")
        value, end = parse(text)
        if end != len(text):
            raise ValueError(f"extra data after the JSON, at character {end}")
        return value

    return decode


def _story_text(story_id: UUID | str) -> str:
    """`str(story_id)`: kept for the stories read most lately, as a rebuild reads a story's events
    in a row (looked up by the id's number, which hashes in C where a UUID hashes in Python)."""
    return _uuid_text(story_id.int) if type(story_id) is UUID else str(story_id)


@functools.lru_cache(maxsize=256)
def _uuid_text(number: int) -> str:
    return str(UUID(int=number))


def _undecodable(stored: StoredEvent, error: Exception) -> MapperDeserialisationError:
    msg = f"Failed to deserialise state of stored event with topic {stored.topic!r}: {error}"
    return MapperDeserialisationError(msg)
