"""The page a story's past adds up to, for tests of the page fold and of what renders it."""

from __future__ import annotations

from domain.live_page import LivePage
from domain.spec import EventSpec, given
from domain.story_page import StoryPage


def page_after(*past: EventSpec) -> LivePage:
    """The readers' page after the events `past` (see `domain.spec`) describe."""
    return LivePage.of(StoryPage.fold(given(*past).events))
