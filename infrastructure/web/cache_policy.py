"""What each answer of the readers' web may be kept for, by a browser or a shared cache (Varnish,
a CDN), and the tags a purge reaches it by: decided here, for every answer, by app.py's middleware.

A route marks what it answered (`mark`): an answer at a known version (`?version=N`, a changes
range that ends at `until`) never changes, so it is kept for a year; an answer showing the story
as it is now (the page, the open-ended changes, the feed, the list) is kept for a few seconds and
then revalidated. Both are also purged by the events that make them stale (`purge.py`). Anything
not marked (errors, the stream, `/healthz`) is never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from starlette.requests import Request

from domain.meaning import Stale

IMMUTABLE = "public, max-age=31536000, immutable"
UNCACHEABLE = "no-store"
DEFAULT_HEAD_SECONDS = 2
"""How long an answer showing the story as it is now may be served from a cache by default."""
MAX_HEAD_SECONDS = 3600

EVERYTHING = "newsroom"
"""The tag of every answer: an erasure purges it (a name can be on any page)."""
LIST = "stories"
"""The tag of the story list (the index page and `/api/stories`)."""
STATIC = "static"


class Freshness(Enum):
    VERSIONED = "versioned"
    """At a known version: never changes but by a takedown or an erasure, which purge it."""
    HEAD = "head"
    """The story (or the list) as it is now."""


@dataclass(frozen=True)
class Cacheable:
    """What an answer may be kept as, and the tags a purge reaches it by."""

    freshness: Freshness
    tags: tuple[str, ...]


def story_tags(slug: str, *, head: bool, updates: Iterable[int] = ()) -> tuple[str, ...]:
    """The tags of an answer about story `slug`: the story's (a takedown purges every answer of
    it), its head's if the answer shows the story as it is now, and one per update it holds as
    that update is now (a page of older updates, a permalink): every route tags through here."""
    tags = [EVERYTHING, f"story/{slug}"]
    if head:
        tags.append(f"story/{slug}/head")
    tags += [f"story/{slug}/update/{number}" for number in sorted(set(updates))]
    return tuple(tags)


def forgets_words(tag: str) -> bool:
    """Whether a purge of `tag` is a takedown's or an erasure's: of every answer of a story
    (past versions included), or of every answer."""
    return tag == EVERYTHING or (tag.startswith("story/") and tag.count("/") == 1)


def list_tags() -> tuple[str, ...]:
    return (EVERYTHING, LIST)


def stale_tags(slug: str, stale: Stale) -> set[str]:
    """The tags of every answer an event of story `slug` makes stale (its meaning's `Stale`)."""
    tags = set()
    if stale.story:
        tags.add(f"story/{slug}")
    if stale.head:
        tags |= {f"story/{slug}/head", LIST}
    if stale.update is not None:
        tags.add(f"story/{slug}/update/{stale.update}")
    return tags


def mark(request: Request, freshness: Freshness, tags: tuple[str, ...]) -> None:
    """Says what the answer to `request` may be kept as (read by `CachePolicy.headers`)."""
    request.state.cacheable = Cacheable(freshness, tags)


class BadHeadSeconds(ValueError):
    pass


@dataclass(frozen=True)
class CachePolicy:
    """`Cache-Control` and `Surrogate-Key` for each answer; `head_seconds`, how long an answer
    showing the story as it is now may be served without asking the origin."""

    head_seconds: int = DEFAULT_HEAD_SECONDS

    def __post_init__(self) -> None:
        if not 1 <= self.head_seconds <= MAX_HEAD_SECONDS:
            raise BadHeadSeconds(
                f"the cache max-age must be from 1 to {MAX_HEAD_SECONDS} seconds; got {self.head_seconds}"
            )

    def headers(self, status: int, cacheable: Cacheable | None) -> list[tuple[bytes, bytes]]:
        """The caching headers of an answer with `status`, marked `cacheable` (or not)."""
        if cacheable is None or status not in (200, 304):
            return [(b"cache-control", UNCACHEABLE.encode())]
        if cacheable.freshness is Freshness.VERSIONED:
            control = IMMUTABLE
        else:
            # A cache may answer from what it has while it revalidates, for as long again.
            control = f"public, max-age={self.head_seconds}, stale-while-revalidate={self.head_seconds}"
        tags = " ".join(cacheable.tags).encode()
        return [
            (b"cache-control", control.encode()),
            (b"surrogate-key", tags),
            (b"cache-tag", tags.replace(b" ", b",")),
        ]
