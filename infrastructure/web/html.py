"""The readers' web as HTML: the story index, a story's page (live or archived), one update's
fragment (what the changes feed and the stream carry), and error pages, from Jinja2 templates
over the typed page (`domain/page.py`); an update is the CLI's own partial (`update.html.j2`).

Every string an editor typed is escaped by the templates (autoescape on); inline Markdown goes
through the CLI's own safe renderer. The pages carry no inline script or style: the stylesheet
and the live client are static files, so the Content-Security-Policy can forbid inline code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from domain.page import Page, Update
from infrastructure.rendering import times
from infrastructure.rendering.html_page import html_environment
from infrastructure.web.head_meta import index_head_meta, story_head_meta
from infrastructure.web.masthead import Masthead, masthead
from infrastructure.web.structured_data import last_changed, live_blog_posting

__all__ = ["IndexEntry", "last_changed", "render_error", "render_index", "render_story", "render_update"]


@dataclass(frozen=True)
class IndexEntry:
    """A story on the index: its page now."""

    page: Page


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return html_environment(PackageLoader("infrastructure.web", "templates"))


def render_update(update: Update, *, pinned: bool, zone: str) -> str:
    """One update as an `<article id="update-N">`, as the page shows it."""
    partial = _environment().get_template("update.html.j2").module
    return str(partial.update_article(update, pinned, reader=True, zone=zone))  # type: ignore[attr-defined]


def render_story(
    page: Page,
    *,
    kinds: tuple[str, ...],
    archived: bool = False,
    key_events_only: bool = False,
    site: Masthead | None = None,
) -> str:
    """A story's page; `archived` marks a past version, `key_events_only` shows only key events;
    `kinds`, the changes the live client listens for; `site`, who publishes it and where."""
    updates = [u for u in page.updates if u.key_event] if key_events_only else page.updates
    site = site or masthead()
    posting = live_blog_posting(page, site)
    zone = page.header.time_zone
    return (
        _environment()
        .get_template("story.html.j2")
        .render(
            page=page,
            updates=updates,
            zone=zone,
            zone_name=times.zone_name(zone),
            kinds=" ".join(kinds),
            archived=archived,
            key_events_only=key_events_only,
            json_ld=Markup(_script_safe(json.dumps(posting, ensure_ascii=False))),
            meta=story_head_meta(page, site),
        )
    )


def render_index(entries: list[IndexEntry], site: Masthead | None = None) -> str:
    """The story index: live stories first, then ended ones, each most recently updated first;
    `site`, who publishes them and where."""
    ordered = sorted(entries, key=lambda e: e.page.updated_at, reverse=True)
    ordered.sort(key=lambda e: e.page.status != "live")
    zones = {e.page.header.time_zone for e in ordered}
    # One zone for the whole index if the stories share it, else each time says its own.
    shared = times.zone_name(zones.pop()) if len(zones) == 1 else None
    return (
        _environment()
        .get_template("index.html.j2")
        .render(
            entries=ordered,
            shared_zone=shared,
            zone_name=times.zone_name,
            meta=index_head_meta(site or masthead()),
        )
    )


def render_error(status: int, title: str, message: str) -> str:
    return _environment().get_template("error.html.j2").render(status=status, title=title, message=message)


def _script_safe(text: str) -> str:
    """JSON that cannot end its `<script>` element early."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
