"""The readers' web as HTML: the story index, a story's page (live or archived), one update's
fragment (what the changes feed and the stream carry), and error pages, from Jinja2 templates.

Every string an editor typed is escaped by the templates (autoescape on); inline Markdown goes
through the CLI's own safe renderer. The pages carry no inline script or style: the stylesheet
and the live client are static files, so the Content-Security-Policy can forbid inline code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from infrastructure.rendering.bidi import rendered
from infrastructure.web import times
from infrastructure.web.reading import StoryEvent, WebPage, inline_markdown, paragraphs, safe_url


@dataclass(frozen=True)
class IndexEntry:
    """A story on the index: its page now."""

    page: WebPage
    zone: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("infrastructure.web", "templates"),
        autoescape=True,
        finalize=rendered,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        inline=inline_markdown,
        paragraphs=paragraphs,
        machine_time=times.machine_time,
        clock_time=times.clock_time,
        day_and_time=times.day_and_time,
    )
    environment.tests.update(safe_url=lambda url: bool(url) and safe_url(url))
    return environment


def render_update(update: dict[str, Any], zone: str) -> str:
    """One update as an `<article id="update-N">`, as the page shows it."""
    return _environment().get_template("update.html.j2").render(update=update, zone=zone)


def render_story(
    page: WebPage,
    events: list[StoryEvent],
    *,
    zone: str,
    archived: bool = False,
    key_events_only: bool = False,
) -> str:
    """A story's page; `archived` marks a past version, `key_events_only` shows only key events."""
    data = page.data
    updates = [u for u in data["updates"] if u["key_event"]] if key_events_only else data["updates"]
    return (
        _environment()
        .get_template("story.html.j2")
        .render(
            page=data,
            updates=updates,
            zone=zone,
            zone_name=times.zone_name(zone),
            archived=archived,
            key_events_only=key_events_only,
            json_ld=Markup(_script_safe(json.dumps(live_blog_posting(data, events), ensure_ascii=False))),
        )
    )


def render_index(entries: list[IndexEntry]) -> str:
    """The story index: live stories first, then ended ones, each most recently updated first."""
    ordered = sorted(entries, key=lambda e: e.page.data["updated_at"], reverse=True)
    ordered.sort(key=lambda e: e.page.status != "live")
    return _environment().get_template("index.html.j2").render(entries=ordered)


def render_error(status: int, title: str, message: str) -> str:
    return _environment().get_template("error.html.j2").render(status=status, title=title, message=message)


def live_blog_posting(page: dict[str, Any], events: list[StoryEvent]) -> dict[str, Any]:
    """schema.org's LiveBlogPosting for the page: coverage times and each update shown."""
    published = [e.at for e in events if e.event_type == "Published"]
    closed = [e.at for e in events if e.event_type == "Closed"]
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": page["headline"],
        "dateModified": page["updated_at"],
    }
    if page["standfirst"]:
        posting["description"] = page["standfirst"]
    if published:
        posting["coverageStartTime"] = _iso(published[0])
        posting["datePublished"] = _iso(published[0])
    if page["status"] == "closed" and closed:
        posting["coverageEndTime"] = _iso(closed[-1])
    posting["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "@id": f"#update-{u['number']}",
            "url": f"#update-{u['number']}",
            "headline": u["title"],
            "datePublished": u["posted_at"],
            "dateModified": last_changed(u),
            "articleBody": article_body(u),
        }
        for u in page["updates"]
    ]
    return posting


def last_changed(update: dict[str, Any]) -> str:
    """When readers last saw the update change: posted, revised or corrected (ISO, UTC)."""
    moments = [update["posted_at"], update["revised_at"], *(c["at"] for c in update["corrections"])]
    return max((m for m in moments if m), key=times.parse_iso)


def article_body(update: dict[str, Any]) -> str:
    """The update's words as plain text, a block to a paragraph."""
    parts = []
    for block in update["blocks"]:
        kind = block["kind"]
        if kind == "paragraph":
            parts.append(block["text"])
        elif kind == "quote":
            attribution = f" – {block['attribution']}" if block["attribution"] else ""
            parts.append(f"“{block['text']}”{attribution}")
        elif kind == "list":
            parts.append("\n".join(f"- {item}" for item in block["items"]))
        else:
            credit = f" (Credit: {block['credit']})" if block["credit"] else ""
            parts.append(f"{block['caption']}{credit}")
    return "\n\n".join(parts)


def _iso(moment: Any) -> str:
    return times.machine_time(moment.isoformat()) if hasattr(moment, "isoformat") else str(moment)


def _script_safe(text: str) -> str:
    """JSON that cannot end its `<script>` element early."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
