"""Exports: every story event as a JSON line with its hash, checkable later with no database.

A line holds what the hash covers (topic, story_id, version and the canonical state, every stored
field but the hash) and the hash itself, so that
`sha256(canonical JSON of {"topic", "story_id", "version", "state"}) == hash` for an intact event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

from domain.application import Newsroom
from domain.chain import HASH_FIELD, canonical
from domain.story import STORY_TOPICS
from infrastructure.audit.errors import AuditFileUnreadable
from infrastructure.audit.records import ChainRecord, RecordDecoder, notification_pages
from infrastructure.bounded_read import InputTooLarge, NotARegularFile, lines_at_most, open_regular_file

LINE_FIELDS = frozenset({"position", "topic", "story_id", "version", "hash", "state"})
LINE_BYTES_MAX = 4 * 1024 * 1024
"""The most bytes read of one line of an export: an event's line is at most a few hundred KB (a
50,000-character body in clear, escaped), so a longer one, or /dev/zero, is no export."""


@dataclass(frozen=True)
class ExportedEvent:
    """One line of an export. `state` is None when the stored bytes could not be decoded."""

    position: int
    topic: str
    story_id: UUID
    version: int
    hash: str | None
    state: dict[str, Any] | None
    problem: str = ""

    def to_json_line(self) -> str:
        line: dict[str, Any] = {
            "position": self.position,
            "topic": self.topic,
            "story_id": str(self.story_id),
            "version": self.version,
            "hash": self.hash,
            "state": self.state,
        }
        if self.problem:
            line["problem"] = self.problem
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    events: int
    stories: int


def export_events(app: Newsroom) -> Iterator[ExportedEvent]:
    """Every story event in store order, as stored (a damaged event is exported as it is found)."""
    decoder = RecordDecoder(app.mapper)
    for page in notification_pages(app, sorted(STORY_TOPICS)):
        for notification in page:
            yield exported_event(notification.id, decoder.record(notification))


def write_export(app: Newsroom, out: TextIO) -> ExportSummary:
    """Writes every story event to `out`, one JSON line each."""
    events = 0
    stories: set[UUID] = set()
    for event in export_events(app):
        out.write(event.to_json_line() + "\n")
        events += 1
        stories.add(event.story_id)
    return ExportSummary(events, len(stories))


def exported_event(position: int, record: ChainRecord) -> ExportedEvent:
    state = record.state
    if state is None:
        problem = record.problem
        return ExportedEvent(position, record.topic, record.story_id, record.version, None, None, problem)
    stored_hash = state.get(HASH_FIELD)
    fields = {k: v for k, v in state.items() if k != HASH_FIELD}
    try:
        # A record whose hash its reader checked already holds the canonical values.
        content = fields if record.hash_checked else canonical(fields)
    except (TypeError, RecursionError) as error:
        problem = f"the stored state has a value no hash can cover ({error})"
        return ExportedEvent(position, record.topic, record.story_id, record.version, None, None, problem)
    return ExportedEvent(
        position,
        record.topic,
        record.story_id,
        record.version,
        stored_hash if isinstance(stored_hash, str) else None,
        content,
    )


def read_export(path: Path) -> Iterator[ChainRecord]:
    """The records of the export at `path`, for `verify_chains`; a line that is no event is refused.

    The export is read to its end, so it must be a regular file: a pipe or device may never end.
    """
    try:
        with open_regular_file(path, "it") as lines:
            for number, line in enumerate(lines_at_most(lines, LINE_BYTES_MAX, "a line"), start=1):
                if line.strip():
                    yield _record(line.decode("utf-8"), number, path)
    except NotARegularFile as error:
        raise AuditFileUnreadable("export", path, f"{error}; save the export to a file first") from None
    except InputTooLarge as error:
        raise AuditFileUnreadable(
            "export", path, f"{error}, more than any event's: it is no export"
        ) from None
    except OSError as error:
        raise AuditFileUnreadable("export", path, error.strerror or str(error)) from None
    except UnicodeDecodeError as error:
        raise AuditFileUnreadable("export", path, f"it is not UTF-8 text ({error})") from None


def _record(line: str, number: int, path: Path) -> ChainRecord:
    def refuse(problem: str) -> AuditFileUnreadable:
        return AuditFileUnreadable("export", path, f"line {number} is not an exported event: {problem}")

    try:
        data = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as error:
        raise refuse(f"not JSON ({error})") from None
    if not isinstance(data, dict) or not set(data) >= LINE_FIELDS:
        raise refuse("it lacks one of " + ", ".join(sorted(LINE_FIELDS)))
    topic, version, hash_, state = data["topic"], data["version"], data["hash"], data["state"]
    if not isinstance(topic, str):
        raise refuse("its topic is not text")
    try:
        story_id = UUID(data["story_id"])
    except (TypeError, ValueError, AttributeError):
        raise refuse("its story_id is not a UUID") from None
    if type(version) is not int:
        raise refuse("its version is not a whole number")
    if hash_ is not None and not isinstance(hash_, str):
        raise refuse("its hash is not text")
    if state is None:
        problem = data.get("problem")
        return ChainRecord(topic, story_id, version, None, str(problem or "the export holds no state for it"))
    if not isinstance(state, dict):
        raise refuse("its state is not an object")
    if HASH_FIELD in state:
        raise refuse("its state holds a hash: the hash belongs beside the state")
    if hash_ is not None:
        state[HASH_FIELD] = hash_
    return ChainRecord(topic, story_id, version, state)
