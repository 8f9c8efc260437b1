"""Story events as the hash chain covers them, read straight from the store in large pages.

The chain's authority is `domain.chain`: an event's hash is that of `event_content` over its stored
state as the application's transcoder decodes it (not upcast). Decoding into objects only to turn
them back into JSON values costs more than the library's whole read, so `RecordDecoder` first builds
the same JSON values straight from the stored JSON (`_CanonicalView`); when their hash is the stored
one the event is intact, and every other event takes the transcoder's path, which gives the verdict.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import LocalNotificationLog
from eventsourcing.persistence import (
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    Notification,
    StoredEvent,
    UUIDAsHex,
)
from eventsourcing.system import NotificationLogReader
from eventsourcing.utils import get_topic

from domain.application import Newsroom
from domain.blocks import BLOCK_KINDS
from domain.chain import HASH_FIELD, SEALED_FIELD, hash_content
from domain.story import STORY_TOPICS, Story
from infrastructure.sealed_layout import BoxesMisfit, commitments_in_boxes, envelope_parts, split_boxes
from infrastructure.transcodings import DataclassAsDict

OPENED_TOPIC = get_topic(Story.Opened)
PAGE_SIZE = 10_000
"""Notifications read per query: large, since the audit reads every event of the store."""


@dataclass(frozen=True, slots=True)
class ChainRecord:
    """A story event as its hash covers it: topic, story, version and the state as stored.

    `state` holds every stored field, `hash` and `previous_hash` included, decoded but not upcast
    (or already as the JSON values the hash covers), but a sealed event's ciphertext (`sealed`,
    which no hash covers: its commitments are there instead); it is None when the stored bytes cannot be
    decoded, and `problem` then says why. `hash_checked` marks a record whose reader has already
    recomputed its hash from this state and found it equal to the stored one.
    """

    topic: str
    story_id: UUID
    version: int
    state: dict[str, Any] | None
    problem: str = ""
    hash_checked: bool = False
    key_ids: tuple[str, ...] = ()
    """The keys its sealed envelopes name (in clear: ids, never keys), for the audit's account of
    the key store."""


def read_store_records(app: Newsroom, slug: str | None = None) -> Iterator[ChainRecord]:
    """Every story event in store order, or every event of the story `slug` in version order."""
    decoder = RecordDecoder(app.mapper)
    if slug is not None:
        stored_events: Sequence[StoredEvent] = app.recorder.select_events(Story.id_for(slug))
        for stored in stored_events:
            if stored.topic in STORY_TOPICS:
                yield decoder.record(stored)
        return
    for page in notification_pages(app, sorted(STORY_TOPICS)):
        for notification in page:
            yield decoder.record(notification)


def notification_pages(
    app: Newsroom, topics: Sequence[str] = (), *, last: int | None = None
) -> Iterator[Sequence[Notification]]:
    """The store's notifications in order, a page at a time, up to `last` or to the last one there
    was when reading began: one consistent reading even while editors keep writing. The library's
    notification log reader does the paging."""
    if last is None:
        last = app.recorder.max_notification_id()
    if not last:
        return
    log = LocalNotificationLog(app.recorder, section_size=PAGE_SIZE)
    yield from NotificationLogReader(log, section_size=PAGE_SIZE).select(start=1, stop=last, topics=topics)


class RecordDecoder:
    """Turns stored events into chain records with the application's own mapper settings.

    With `shortcut` off, every event takes the transcoder's path (to measure or test that path).
    """

    def __init__(self, mapper: Mapper[UUID], *, shortcut: bool = True) -> None:
        self.mapper = mapper
        self.view = _CanonicalView.of(mapper.transcoder) if shortcut else None

    def record(self, stored: StoredEvent) -> ChainRecord:
        story_id, version, topic = stored.originator_id, stored.originator_version, stored.topic
        assert isinstance(story_id, UUID)
        try:
            data, boxes = split_boxes(self._plain_bytes(stored.state))
        # Whatever a cipher or compressor raises on damaged bytes, the finding is the same.
        except Exception as error:
            return ChainRecord(topic, story_id, version, None, _describe(error))
        if self.view is not None:
            confirmed = self.view.confirmed_state(topic, story_id, version, data, boxes)
            if confirmed is not None:
                state, key_ids = confirmed
                return ChainRecord(topic, story_id, version, state, hash_checked=True, key_ids=key_ids)
        return self.decoded(topic, story_id, version, data, boxes)

    def decoded(self, topic: str, story_id: UUID, version: int, data: bytes, boxes: bytes) -> ChainRecord:
        """The record with its state decoded exactly as the application's transcoder does."""
        try:
            state = self.mapper.transcoder.decode(data)
        # Whatever the decoder raises on damaged bytes, the finding is the same: the content was altered.
        except Exception as error:
            return ChainRecord(topic, story_id, version, None, _describe(error))
        if not isinstance(state, dict):
            problem = f"the stored state decodes to a {type(state).__name__}, not to an object"
            return ChainRecord(topic, story_id, version, None, problem)
        envelopes = state.pop(SEALED_FIELD, None)
        try:
            state.update(commitments_in_boxes(envelopes, boxes))
        except BoxesMisfit as misfit:
            return ChainRecord(topic, story_id, version, None, str(misfit))
        return ChainRecord(topic, story_id, version, state, key_ids=_key_ids(envelopes))

    def _plain_bytes(self, data: bytes) -> bytes:
        if self.mapper.cipher:
            data = self.mapper.cipher.decrypt(data)
        if self.mapper.compressor:
            data = self.mapper.compressor.decompress(data)
        return data


def _key_ids(envelopes: Any) -> tuple[str, ...]:
    """The key ids of envelopes that `commitments_in_boxes` has already found well formed."""
    return tuple(envelope_parts(envelope)[0] for envelope in envelopes) if envelopes else ()


class _NotConfirmed(Exception):
    """The stored JSON holds something the view leaves to the transcoder's path."""


_SCALARS = frozenset({str, int, bool, type(None)})


class _CanonicalView:
    """The JSON values `domain.chain.canonical` gives of a decoded state, built from the stored JSON.

    For each transcoding it handles, the value built equals `canonical(transcoding.decode(data))`,
    or the view gives up: a datetime's text only when it is exactly its own `isoformat()`, a block
    only with exactly its dataclass's fields. Anything else (another transcoding, a float, a missing
    field) is left to the transcoder's path, so the view never confirms what that path would refuse.
    """

    def __init__(self, converters: dict[str, Callable[[Any], Any]]) -> None:
        self.converters = converters
        self.parse = json.JSONDecoder().decode
        self.values = _values_of(converters)

    @classmethod
    def of(cls, transcoder: object) -> _CanonicalView | None:
        # Only the library's own JSON transcoder is known to decode as described above.
        if type(transcoder) is not JSONTranscoder:
            return None
        view = cls({})
        for name, transcoding in transcoder.names.items():
            converter = _converter_for(transcoding, view.values)
            if converter is not None:
                view.converters[name] = converter
        return view

    def confirmed_state(
        self, topic: str, story_id: UUID, version: int, data: bytes, boxes: bytes
    ) -> tuple[dict[str, Any], tuple[str, ...]] | None:
        """The canonical state, `hash` included, and the keys its envelopes name, if its hash is
        the stored one and the boxes after it fit its envelopes; otherwise None."""
        try:
            raw = self.parse(data.decode("utf-8"))
            if type(raw) is not dict:
                return None
            stored_hash = raw.pop(HASH_FIELD, None)
            envelopes = raw.pop(SEALED_FIELD, None)
            raw.update(commitments_in_boxes(envelopes, boxes))
            state = self.values(raw, top=True)
        except (_NotConfirmed, ValueError, TypeError, KeyError, RecursionError):
            return None
        content = _event_content(topic, story_id, version, state)
        if hash_content(content) != stored_hash:
            return None
        state[HASH_FIELD] = stored_hash
        return state, _key_ids(envelopes)


def _values_of(converters: dict[str, Callable[[Any], Any]]) -> Callable[..., Any]:
    """The walk over parsed JSON that turns tagged objects into their canonical values.

    A closure rather than methods: it runs for every value of every event.
    """
    scalars = _SCALARS

    def values(value: Any, top: bool = False) -> Any:
        kind = type(value)
        if kind is dict:
            # The transcoder decodes an object with exactly these two keys; the state itself it keeps.
            if not top and len(value) == 2 and "_type_" in value and "_data_" in value:
                return converters[value["_type_"]](value["_data_"])
            return {k: v if type(v) in scalars else values(v) for k, v in value.items()}
        if kind is list:
            return [v if type(v) in scalars else values(v) for v in value]
        if kind in scalars:
            return value
        raise _NotConfirmed  # a float, which no event hash covers

    return values


def _converter_for(transcoding: object, values: Callable[..., Any]) -> Callable[[Any], Any] | None:
    if type(transcoding) is DatetimeAsISO:
        return _iso_text
    if type(transcoding) is UUIDAsHex:
        return _uuid_text
    if type(transcoding) is DataclassAsDict and transcoding.type in _KIND_OF_BLOCK:
        return _block_converter(transcoding.type, values)
    return None


def _block_converter(block_type: type, values: Callable[..., Any]) -> Callable[[Any], Any] | None:
    if hasattr(block_type, "__post_init__"):
        return None  # its constructor could refuse what the view would accept
    kind = _KIND_OF_BLOCK[block_type]
    names = frozenset(f.name for f in dataclasses.fields(block_type))
    scalars = _SCALARS

    def convert(data: Any) -> dict[str, Any]:
        if type(data) is not dict or data.keys() != names:
            raise _NotConfirmed
        block = {k: v if type(v) in scalars else values(v) for k, v in data.items()}
        block["kind"] = kind
        return block

    return convert


_KIND_OF_BLOCK = {cls: kind for kind, cls in BLOCK_KINDS.items()}


def _iso_text(data: Any) -> str:
    if type(data) is not str or datetime.fromisoformat(data).isoformat() != data:
        raise _NotConfirmed
    return data


def _uuid_text(data: Any) -> str:
    if type(data) is not str:
        raise _NotConfirmed
    return str(UUID(data))


def _event_content(topic: str, story_id: UUID, version: int, state: dict[str, Any]) -> dict[str, Any]:
    # The shape of domain.chain.event_content, for a state already canonical; a test holds them
    # together (were they ever to differ, nothing would be confirmed and all would take the slow path).
    return {"topic": topic, "story_id": str(story_id), "version": version, "state": state}


def _describe(error: Exception) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
