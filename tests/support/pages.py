"""The page a story's past adds up to, for tests of the page fold and of what renders it."""

from __future__ import annotations

from domain.page import Page
from domain.page_fold import PageFold
from spec_kit import EventSpec, given


def page_after(*past: EventSpec) -> Page:
    """The readers' page after the events `past` (see `spec_kit`) describe."""
    return PageFold.of(given(*past).events).page()
