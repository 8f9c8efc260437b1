"""Seals: every story's head hash and version at a moment, with one digest over them all.

Kept outside the database (printed, mailed, published), a seal lets `audit verify --seal` catch
what a chain alone cannot: a story cut short (its last events deleted) or rolled back and rewritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.application import Newsroom
from domain.chain import hash_content
from domain.story import Story
from infrastructure.audit.errors import AuditFileUnreadable, StoreNotSealable
from infrastructure.audit.verify import Verification, verify_store
from infrastructure.bounded_read import InputTooLarge, read_file_at_most
from infrastructure.rendering.times import iso

SEAL_FORMAT = "newsroom-seal/1"
SEAL_BYTES_MAX = 64 * 1024 * 1024
"""The most bytes read of a seal: about 250 bytes a story, so some 250,000 stories. A larger file,
or a device such as /dev/zero, is refused once this much has been read."""
_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SealedStory:
    """A story's head as sealed: its last version and that event's hash."""

    slug: str
    story_id: UUID
    version: int
    head_hash: str


@dataclass(frozen=True)
class Seal:
    """The heads of every story at `sealed_at`; `digest` covers the format and every head."""

    sealed_at: datetime
    stories: tuple[SealedStory, ...]
    digest: str


def seal_store(app: Newsroom) -> Seal:
    """Verifies every chain, then seals the heads; a store with broken chains is not sealed."""
    verification = verify_store(app)
    if not verification.intact:
        raise StoreNotSealable(len(verification.breaks))
    return seal_of(verification, app.clock())


def seal_of(verification: Verification, sealed_at: datetime) -> Seal:
    """The seal of the heads an intact verification found, sorted by slug."""
    stories = tuple(
        sorted(
            (SealedStory(h.slug, h.story_id, h.version, h.head_hash or "") for h in verification.stories),
            key=lambda s: s.slug,
        )
    )
    return Seal(sealed_at, stories, seal_digest(stories))


def seal_digest(stories: tuple[SealedStory, ...]) -> str:
    """SHA-256 of the canonical JSON of the format and the heads, in the seal's order."""
    return hash_content({"format": SEAL_FORMAT, "stories": [_story_to_dict(s) for s in stories]})


def seal_to_dict(seal: Seal) -> dict[str, Any]:
    return {
        "format": SEAL_FORMAT,
        "sealed_at": iso(seal.sealed_at),
        "stories": [_story_to_dict(s) for s in seal.stories],
        "digest": seal.digest,
    }


def _story_to_dict(story: SealedStory) -> dict[str, Any]:
    return {
        "slug": story.slug,
        "story_id": str(story.story_id),
        "version": story.version,
        "head_hash": story.head_hash,
    }


def read_seal(path: Path) -> Seal:
    """The seal in the file at `path`, refused unless it is whole and its digest matches."""
    try:
        data = json.loads(read_file_at_most(path, SEAL_BYTES_MAX, "it").decode("utf-8"))
    except InputTooLarge as error:
        raise AuditFileUnreadable("seal", path, f"{error}, more than any seal") from None
    except OSError as error:
        raise AuditFileUnreadable("seal", path, error.strerror or str(error)) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise AuditFileUnreadable("seal", path, f"it is not JSON ({error})") from None
    seal = seal_from_dict(data, path)
    if seal_digest(seal.stories) != seal.digest:
        raise AuditFileUnreadable("seal", path, "its digest does not match its stories: it was altered")
    return seal


def seal_from_dict(data: Any, path: Path) -> Seal:
    def refuse(problem: str) -> AuditFileUnreadable:
        return AuditFileUnreadable("seal", path, problem)

    if not isinstance(data, dict) or data.get("format") != SEAL_FORMAT:
        raise refuse(f'it is not a newsroom seal (no "format": "{SEAL_FORMAT}")')
    sealed_at = _moment(data.get("sealed_at"))
    if sealed_at is None:
        raise refuse("its sealed_at is not an ISO 8601 time with a zone")
    digest = data.get("digest")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise refuse("its digest is not a SHA-256 hex digest")
    entries = data.get("stories")
    if not isinstance(entries, list):
        raise refuse("its stories are not a list")
    stories = tuple(_sealed_story(entry, index, path) for index, entry in enumerate(entries, start=1))
    if len({s.story_id for s in stories}) != len(stories):
        raise refuse("it names a story twice")
    return Seal(sealed_at, stories, digest)


def _sealed_story(entry: Any, index: int, path: Path) -> SealedStory:
    def refuse(problem: str) -> AuditFileUnreadable:
        return AuditFileUnreadable("seal", path, problem)

    if not isinstance(entry, dict) or set(entry) != {"slug", "story_id", "version", "head_hash"}:
        raise refuse(f"story {index} is not {{slug, story_id, version, head_hash}}")
    slug, version, head_hash = entry["slug"], entry["version"], entry["head_hash"]
    try:
        story_id = UUID(entry["story_id"])
    except (TypeError, ValueError, AttributeError):
        raise refuse(f"story {index} has no valid story_id") from None
    if not isinstance(slug, str) or Story.id_for(slug) != story_id:
        raise refuse(f"story {index}: its slug does not match its story_id")
    if type(version) is not int or version < 1:
        raise refuse(f"story {index} ({slug}): its version is not a whole number from 1")
    if not isinstance(head_hash, str) or not _HASH.fullmatch(head_hash):
        raise refuse(f"story {index} ({slug}): its head_hash is not a SHA-256 hex digest")
    return SealedStory(slug, story_id, version, head_hash)


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
