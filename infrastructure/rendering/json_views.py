"""The stable JSON shapes of story lists and events (documented in docs/json.md); a page's is
`infrastructure/page_json.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.chain import canonical
from infrastructure.page_json import page_json
from infrastructure.rendering.times import iso

if TYPE_CHECKING:
    from domain.page import Page
    from domain.story import Story
    from domain.story_summary import StorySummary

EVENT_ENVELOPE = (
    "originator_id",
    "originator_topic",
    "originator_version",
    "timestamp",
    "editor",
    "hash",
    "previous_hash",
    "salts",  # a sealed event's secret salts: never shown
)


def render_page_json(page: Page) -> str:
    """The page as `json.dumps(page_to_dict(page), ensure_ascii=False, indent=2)`, and a newline."""
    return page_json(page) + "\n"


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
