"""Time travel: the page as it stood at a past version or moment, folded from the story's events.

The read models hold only the present; a past page is the aggregate at that version, which the
library loads from the nearest snapshot and the events after it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from domain import rules
from domain.application import Newsroom
from domain.errors import NewsroomError, StoryNotFound
from domain.live_page import LivePage
from domain.story import Story


class VersionNotFound(NewsroomError):
    """The story has no such version (yet)."""

    def __init__(self, slug: str, version: int, last: int) -> None:
        self.slug, self.version, self.last = slug, version, last
        super().__init__(f"story {slug!r} has no version {version}; its versions are 1 to {last}")


def last_version(app: Newsroom, slug: str) -> int:
    """The story's current version, read from its last event alone."""
    story_id = Story.id_for(rules.valid_slug(slug))
    last = list(app.events.get(story_id, desc=True, limit=1))
    if not last:
        raise StoryNotFound(slug)
    return last[0].originator_version


def page_at_version(app: Newsroom, slug: str, version: int) -> LivePage:
    """The page exactly as it stood just after the story's `version`th event."""
    last = last_version(app, slug)
    if not 1 <= version <= last:
        raise VersionNotFound(slug, version, last)
    return app.get_page(slug, version)


def version_at(app: Newsroom, slug: str, moment: datetime) -> int:
    """The story's version at `moment` (a time without a zone is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return app.get_version_at(slug, moment)
