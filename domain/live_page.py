"""The live page: what readers see of a story, in the order they see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.blocks import Block
from domain.story_page import StoryPage
from domain.update import Correction, Update


@dataclass(frozen=True)
class PageUpdate:
    """An update as a reader sees it."""

    number: int
    title: str
    byline: str | None
    posted_at: datetime
    revised_at: datetime | None
    pinned: bool
    key_event: bool
    blocks: tuple[Block, ...]
    corrections: tuple[Correction, ...]


@dataclass(frozen=True)
class KeyEvent:
    """An entry in the page's key-events list, linking to its update."""

    number: int
    title: str
    posted_at: datetime


@dataclass(frozen=True)
class LivePage:
    """The page: the pinned update first, then the others newest first, retracted ones left out."""

    slug: str
    headline: str
    standfirst: str | None
    status: str
    version: int
    updated_at: datetime
    updates: tuple[PageUpdate, ...]
    key_events: tuple[KeyEvent, ...]

    @classmethod
    def of(cls, story: StoryPage) -> LivePage:
        assert story.updated_at is not None, "a page is folded from at least the Opened event"
        visible = [u for u in reversed(story.updates) if not u.retracted]
        ordered = sorted(visible, key=lambda u: u.number != story.pinned)
        return cls(
            slug=story.slug,
            headline=story.headline,
            standfirst=story.standfirst,
            status=story.status,
            version=story.version,
            updated_at=story.updated_at,
            updates=tuple(_page_update(u, pinned=u.number == story.pinned) for u in ordered),
            key_events=tuple(KeyEvent(u.number, u.title, u.posted_at) for u in visible if u.key_event),
        )


def _page_update(update: Update, *, pinned: bool) -> PageUpdate:
    return PageUpdate(
        number=update.number,
        title=update.title,
        byline=update.byline,
        posted_at=update.posted_at,
        revised_at=update.revised_at,
        pinned=pinned,
        key_event=update.key_event,
        blocks=update.body,
        corrections=update.corrections,
    )
