"""A story's Atom 1.0 feed: one entry per update readers see, and an RFC 6721 tombstone
(`at:deleted-entry`) for each retracted one. Written by a Jinja2 template with XML escaping."""

from __future__ import annotations

import uuid
from functools import lru_cache

from jinja2 import Environment, PackageLoader

from domain.page import Page
from infrastructure.rendering.bidi import rendered
from infrastructure.rendering.times import iso
from infrastructure.web.changes import kind_of
from infrastructure.web.html import last_changed, render_update
from infrastructure.web.paging import update_path
from infrastructure.web.reading import StoryEvent

FEED_NAMESPACE = uuid.UUID("4f1c8a52-5d5b-4e7c-9a53-2f1c3ad1b7e0")
"""Entry and feed ids are `urn:uuid:` names under this namespace: stable for ever."""


def story_feed_id(slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, f'story/{slug}')}"


def update_entry_id(slug: str, number: int) -> str:
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, f'story/{slug}/update/{number}')}"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("infrastructure.web", "templates"),
        autoescape=True,
        finalize=rendered,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_feed(page: Page, events: list[StoryEvent], *, base_url: str) -> str:
    """The feed of the page, with a tombstone for every update retracted up to its version."""
    slug = page.slug
    entries = [
        {
            "id": update_entry_id(slug, u.number),
            "title": u.title,
            "published": iso(u.posted_at),
            "updated": iso(last_changed(u)),
            "byline": u.byline,
            "link": base_url + update_path(slug, u.number),  # its own page: on any page of the story
            "html": render_update(u, pinned=page.is_pinned(u), zone=page.header.time_zone, slug=slug),
        }
        # Feed readers expect time order: the most recently changed first, the pinned one in its place.
        for u in sorted(page.updates, key=lambda u: (last_changed(u), u.number), reverse=True)
    ]
    tombstones = [
        {
            "ref": update_entry_id(slug, e.update),
            "when": iso(e.at),
        }
        for e in events
        if kind_of(e) == "retracted" and e.update is not None and e.version <= page.version
    ]
    return (
        _environment()
        .get_template("feed.atom.j2")
        .render(
            page=page,
            updated=iso(page.updated_at),
            feed_id=story_feed_id(slug),
            page_link=f"{base_url}stories/{slug}",
            self_link=f"{base_url}stories/{slug}/feed.atom",
            entries=entries,
            tombstones=tombstones,
        )
    )
