"""Audit errors: each names what went wrong and carries the facts for the one-line message."""

from __future__ import annotations

from pathlib import Path

from domain.errors import NewsroomError


class AuditFileUnreadable(NewsroomError):
    """A seal or export file cannot be read, or is not what it claims to be."""

    def __init__(self, kind: str, path: Path, problem: str) -> None:
        self.kind, self.path, self.problem = kind, path, problem
        super().__init__(f"{kind} {str(path)!r} cannot be used: {problem}")


class StoreNotSealable(NewsroomError):
    """A seal vouches for the record as it stands, so a store whose chains are broken is not sealed."""

    def __init__(self, breaks: int) -> None:
        self.breaks = breaks
        super().__init__(
            f"the store has {breaks} chain break(s), so it was not sealed; `newsroom audit verify` lists them"
        )


class EventUnreadable(NewsroomError):
    """A stored event cannot be turned back into a domain event, so it cannot be listed."""

    def __init__(self, position: int, story_id: object, version: int, problem: str) -> None:
        self.position, self.story_id, self.version = position, story_id, version
        super().__init__(
            f"the event at position {position} (story {story_id}, version {version}) cannot be "
            f"read ({problem}); `newsroom audit verify` locates damaged events"
        )


class AuditFileUnwritable(NewsroomError):
    """A seal or export cannot be written where it was asked for."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path, self.problem = path, problem
        super().__init__(f"cannot write {str(path)!r}: {problem}; nothing was written")


class ReplayImpossible(NewsroomError):
    """A story's events cannot be folded: one is unreadable, missing or out of place."""

    def __init__(self, story_id: object, version: int, problem: str) -> None:
        self.story_id, self.version, self.problem = story_id, version, problem
        super().__init__(
            f"story {story_id} cannot be replayed at version {version} ({problem}); "
            "`newsroom audit verify` locates damaged events"
        )
