"""The stable JSON shapes of pages, story lists and events (documented in the README)."""

from __future__ import annotations

from typing import Any

from domain.application import StorySummary
from domain.chain import canonical
from domain.live_page import LivePage
from domain.story import Story
from infrastructure.rendering.page_view import PageView, page_view
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


def page_to_dict(page: LivePage | PageView) -> dict[str, Any]:
    return page_view(page).to_dict()


def render_page_json(page: LivePage | PageView) -> str:
    """The page as `json.dumps(page_to_dict(page), ensure_ascii=False, indent=2)`, and a newline."""
    return page_view(page).json_text() + "\n"


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
