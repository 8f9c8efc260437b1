"""A line of the story list: here apart from the application so that listing stories loads none of
the editors' commands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StorySummary:
    """A line of the story list."""

    slug: str
    headline: str
    status: str
    version: int
