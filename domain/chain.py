"""The hash chain: each event's hash covers its content and the hash of the story's previous event.

The canonical form is plain JSON (sorted keys, UTF-8, compact separators) so that an auditor can
recompute a hash from an export with no newsroom code but this module.

Protected values (an update's words) are covered by salted commitments, not by their plaintext:
an event created while `sealing` is on draws a secret random salt for each of its class's
`protected` fields (`salts`), and its hash covers `{"commitment": sha256(canonical JSON of
{"salt", "value"})}` in place of each value. The store keeps the commitments in clear and the
values with their salts encrypted (`sealed`, which no hash covers), so the chain verifies with or
without the keys, and once a key is destroyed neither a value nor its salt can be recovered or
guessed from its commitment. Events created without sealing (all of those stored before it
existed) are covered as they always were: every field in clear.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.blocks import BLOCK_KINDS, block_to_dict

GENESIS_HASH = "0" * 64
HASH_FIELD = "hash"
SALTS_FIELD = "salts"
"""Of an event created sealed: the secret salt of each protected field (never stored in clear)."""
SEALED_FIELD = "sealed"
"""Of a stored sealed event: its protected values and salts, encrypted; outside the hash."""
SIGNATURE_FIELD = "signature"
"""Of an event made on a store that signs: its author's OpenSSH signature of its hash (outside the
hash, which it covers; `domain.signing`)."""
ERASED_FIELD = "erased"
"""Of a sealed event read back without its key: the protected fields that read as erased."""
COMMITMENT = "commitment"
ERASED_NAME = "[erased]"
"""How a personal name reads once its person's key is gone (`staff erase`)."""
SaltSource = Callable[[], str]
_sealing: ContextVar[SaltSource | None] = ContextVar("sealing", default=None)
_for_rules: ContextVar[bool] = ContextVar("for_rules", default=False)
_names_read: ContextVar[frozenset[str] | None] = ContextVar("names_read", default=None)
_BLOCK_TYPES = tuple(BLOCK_KINDS.values())


def canonical(value: Any) -> Any:
    """`value` as JSON-native data, the same whether it was just created or read back."""
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, _BLOCK_TYPES):
        return canonical(block_to_dict(value))
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return canonical(vars(value))
    msg = f"cannot put {type(value).__name__} into an event hash"
    raise TypeError(msg)


def event_content(topic: str, story_id: UUID, version: int, state: dict[str, Any]) -> dict[str, Any]:
    """What an event's hash covers: its type, story, version and every field but the hash and the
    sealed envelope; a field with a salt is covered by its commitment."""
    fields = {k: v for k, v in state.items() if k not in _UNCOVERED}
    for name, salt in (state.get(SALTS_FIELD) or {}).items():
        fields[name] = {COMMITMENT: commitment(salt, fields[name])}
    return {
        "topic": topic,
        "story_id": str(story_id),
        "version": version,
        "state": canonical(fields),
    }


def hash_content(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON serialisation of `content`."""
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


_UNCOVERED = frozenset({HASH_FIELD, SALTS_FIELD, SEALED_FIELD, SIGNATURE_FIELD})


def chained_content(event: Any) -> dict[str, Any]:
    """What `event`'s hash covers (`event_content`), from the event itself."""
    from eventsourcing.utils import get_topic

    state = dict(vars(event))
    del state["originator_id"], state["originator_version"]
    class_version = getattr(type(event), "class_version", 1)
    if class_version > 1:
        # The store writes it beside the fields, so the hash covers it too.
        state["class_version"] = class_version
    return event_content(get_topic(type(event)), event.originator_id, event.originator_version, state)


def commitment(salt: str, value: Any) -> str:
    """The salted commitment to a protected value: SHA-256 of the canonical JSON of
    `{"salt": salt, "value": value}`, as an auditor with the value and its salt can recompute."""
    try:
        return _remembered_commitment(salt, value)
    except TypeError:  # an unhashable value (a list): worked out afresh
        return _commitment(salt, value)


def _commitment(salt: str, value: Any) -> str:
    return hash_content({"salt": salt, "value": canonical(value)})


_remembered_commitment = functools.lru_cache(maxsize=64, typed=True)(_commitment)
"""The event's hash and the store's mapper both need an event's commitments, one after the other."""


@contextmanager
def sealing(salts: SaltSource | None) -> Iterator[None]:
    """While open, story events created with protected fields draw a salt for each from `salts`
    (None: they are created unsealed). The salt is drawn as the event is made, since its hash
    covers the commitments; a context rather than an argument to every rule method."""
    token = _sealing.set(salts)
    try:
        yield
    finally:
        _sealing.reset(token)


@contextmanager
def read_for_rules() -> Iterator[None]:
    """While open, events read back are folded into an aggregate for its rules, which never read
    protected values: the store may leave them sealed (each holds its commitment, and the event's
    `salts` lack them), so loading a story to change it opens no update's words."""
    token = _for_rules.set(True)
    try:
        yield
    finally:
        _for_rules.reset(token)


def reading_for_rules() -> bool:
    """Whether events read now only feed an aggregate's rules (`read_for_rules`)."""
    return _for_rules.get()


@contextmanager
def read_for_read_models(naming: frozenset[str]) -> Iterator[None]:
    """While open, events read back feed the read models, which keep no person's name but those
    that events of the topics `naming` put on the page (a correction's editor): the store may
    leave every other event's names sealed (each holds its commitment, and `salts` lack it)."""
    token = _names_read.set(naming)
    try:
        yield
    finally:
        _names_read.reset(token)


def names_left_sealed(topic: str) -> bool:
    """Whether the names of an event of `topic` read now may stay sealed (`read_for_read_models`)."""
    naming = _names_read.get()
    return naming is not None and topic not in naming


def new_salts(fields: tuple[str, ...]) -> dict[str, str] | None:
    """A salt for each of `fields` if sealing is on, else None."""
    source = _sealing.get()
    if source is None or not fields:
        return None
    return {name: source() for name in fields}


def draw_salts(event: object, fields: tuple[str, ...]) -> None:
    """Gives `event` (being created) a salt for each of `fields` that holds a value, if sealing is
    on: for events that are not chained, whose personal names are still sealed by the store."""
    salts = new_salts(tuple(name for name in fields if getattr(event, name, None) is not None))
    if salts is not None:
        object.__setattr__(event, SALTS_FIELD, salts)


def is_sealed(event: object) -> bool:
    """Whether `event` was created sealed (read back with its key or without it)."""
    state = vars(event)
    return SALTS_FIELD in state or ERASED_FIELD in state


def erased_fields(event: object) -> tuple[str, ...]:
    """The protected fields of `event` that read as erased (its key was destroyed)."""
    return tuple(vars(event).get(ERASED_FIELD, ()))
