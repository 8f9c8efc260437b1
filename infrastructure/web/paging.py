"""Long stories in pages: the `before` cursor, the links between pages, and where an update is.

A story's newest page (`/stories/SLUG`) shows the pinned update and the newest `size` others; an
older page, `?before=N`, the `size` newest updates numbered below N. A cursor names updates, not
positions, so a page's address shows the same updates however many arrive after it; the newest
page's "older" link is `?before=` the oldest update it shows. An update is found in context at
`#update-N` on the newest page if it is pinned, else on `?before=N+1` (the page it heads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from infrastructure.projections.page_window import PageWindow

PAGE_SIZE = 20
"""Updates on a page, the pinned one aside (`serve --page-size`, NEWSROOM_PAGE_SIZE)."""
MAX_PAGE_SIZE = 200


class BadPageCursor(ValueError):
    """A `before` that names no page of the story (answered 400 with one line)."""


def check_cursor(slug: str, window: PageWindow) -> None:
    """`BadPageCursor` unless `before` is an update number of the story above its first."""
    before, last = window.before, window.last_number
    if before is None:
        return
    if last < 1:
        raise BadPageCursor(f"before: story {slug!r} has no updates to page through; leave before out")
    if not 2 <= before <= last + 1:
        raise BadPageCursor(f"before must be an update number of {slug!r} from 2 to {last + 1}; got {before}")


def story_path(
    slug: str, *, before: int | None = None, version: int | None = None, key_events: bool = False
) -> str:
    """The story page's address (relative to the site's root) with these parameters."""
    params: list[tuple[str, str]] = []
    if version is not None:
        params.append(("version", str(version)))
    if before is not None:
        params.append(("before", str(before)))
    if key_events:
        params.append(("filter", "key-events"))
    return f"stories/{slug}" + (f"?{urlencode(params)}" if params else "")


def update_path(slug: str, number: int) -> str:
    """An update's permalink (relative to the site's root)."""
    return f"stories/{slug}/updates/{number}"


def in_context_path(slug: str, number: int, pinned: int | None, version: int | None = None) -> str:
    """The page that shows update `number` (at `version`, None: now), at its anchor (relative
    to the site's root)."""
    before = None if number == pinned else number + 1
    return f"{story_path(slug, before=before, version=version)}#update-{number}"


@dataclass(frozen=True)
class PageLinks:
    """A page's own address and its neighbours' (each relative to the site's root, or None)."""

    canonical: str
    newer: str | None
    older: str | None


def page_links(slug: str, window: PageWindow, *, version: int | None = None) -> PageLinks:
    """The canonical address of the page, and the pages newer (rel=prev) and older (rel=next)."""
    canonical = story_path(slug, before=window.before, version=version)
    newer = story_path(slug, before=window.newer, version=version) if window.has_newer else None
    older = story_path(slug, before=window.older, version=version) if window.older is not None else None
    return PageLinks(canonical, newer, older)
