"""The hash chain: each event's hash covers its content and the hash of the story's previous event.

The canonical form is plain JSON (sorted keys, UTF-8, compact separators) so that an auditor can
recompute a hash from an export with no newsroom code but this module.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.blocks import BLOCK_KINDS, block_to_dict

GENESIS_HASH = "0" * 64
HASH_FIELD = "hash"
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
    """What an event's hash covers: its type, story, version and every field but the hash."""
    fields = {k: v for k, v in state.items() if k != HASH_FIELD}
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
