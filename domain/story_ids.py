"""A story's id, derived from its slug, so a slug can be used once: here apart from the aggregate so
that a reader finds a story's rows without loading the story's code."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

STORY_NAMESPACE = uuid5(NAMESPACE_URL, "https://newsroom.invalid/stories/")


def story_id_for(slug: str) -> UUID:
    """The id of the story with this slug."""
    return uuid5(STORY_NAMESPACE, slug)
