"""The stable JSON shapes of pages, story lists and events (documented in the README)."""

from __future__ import annotations

from typing import Any

from domain.application import StorySummary
from domain.blocks import block_to_dict
from domain.chain import canonical
from domain.live_page import LivePage, PageUpdate
from domain.story import Story
from infrastructure.rendering.times import iso

EVENT_ENVELOPE = (
    "originator_id",
    "originator_topic",
    "originator_version",
    "timestamp",
    "editor",
    "hash",
    "previous_hash",
)


def page_to_dict(page: LivePage) -> dict[str, Any]:
    return {
        "slug": page.slug,
        "headline": page.headline,
        "standfirst": page.standfirst,
        "status": page.status,
        "version": page.version,
        "updated_at": iso(page.updated_at),
        "key_events": [
            {"number": k.number, "title": k.title, "posted_at": iso(k.posted_at)} for k in page.key_events
        ],
        "updates": [_update_to_dict(u) for u in page.updates],
    }


def _update_to_dict(update: PageUpdate) -> dict[str, Any]:
    return {
        "number": update.number,
        "title": update.title,
        "byline": update.byline,
        "posted_at": iso(update.posted_at),
        "revised_at": iso(update.revised_at),
        "pinned": update.pinned,
        "key_event": update.key_event,
        "blocks": [block_to_dict(b) for b in update.blocks],
        "corrections": [
            {"at": iso(c.at), "quote": c.quote, "note": c.note, "editor": c.editor}
            for c in update.corrections
        ],
    }


def summary_to_dict(summary: StorySummary) -> dict[str, Any]:
    return {
        "slug": summary.slug,
        "headline": summary.headline,
        "status": summary.status,
        "version": summary.version,
    }


def event_to_dict(event: Story.Event) -> dict[str, Any]:
    state = vars(event)
    return {
        "version": event.originator_version,
        "type": type(event).__name__,
        "at": iso(event.timestamp),
        "editor": state.get("editor"),
        "data": {k: canonical(v) for k, v in state.items() if k not in EVENT_ENVELOPE},
        "hash": state.get("hash"),
        "previous_hash": state.get("previous_hash"),
    }
