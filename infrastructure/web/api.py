"""The readers' JSON: the story list, a story's pages (`newsroom page --format json`'s shape,
paged as the web pages are, `paging.py`), its changes feed, and `/healthz`."""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from infrastructure.page_json import page_summary_to_dict, page_to_dict
from infrastructure.projections.page_window import PageWindow
from infrastructure.rendering.times import iso
from infrastructure.web.answers import JSON, Answers
from infrastructure.web.cache_policy import Freshness, list_tags, mark, story_tags
from infrastructure.web.changes import changes_json
from infrastructure.web.errors import BadRequest, before_param, int_param, query
from infrastructure.web.pages import cards_tag
from infrastructure.web.paging import PAGE_SIZE, check_cursor, story_path
from infrastructure.web.site import DEFAULT_LIMIT, MAX_LIMIT, BadCursor, Site


class ApiRoutes:
    """`/api/stories`, `/api/stories/{slug}`, `/api/stories/{slug}/changes` and `/healthz`."""

    def __init__(self, site: Site, answers: Answers, page_size: int = PAGE_SIZE) -> None:
        self.site = site
        self.answers = answers
        self.page_size = page_size

    async def health(self, request: Request) -> Response:
        """Where the read models and the replica stand, as JSON, never cached."""
        query(request)
        health = await run_in_threadpool(self.site.reading.health)
        body = json.dumps(health, indent=2) + "\n"
        return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})

    async def stories(self, request: Request) -> Response:
        query(request)
        cards = self.site.visible_cards()
        tag = cards_tag(self.site)
        mark(request, Freshness.HEAD, list_tags())

        def make() -> str:
            stories = []
            for card in cards:
                stories.append(page_summary_to_dict(self.site.page(card.slug)))
            return json.dumps(stories, ensure_ascii=False, indent=2) + "\n"

        return await self.answers.answer(request, ("stories", tag), JSON, make)

    async def story(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        before = before_param(query(request, "before").get("before"))
        mark(request, Freshness.HEAD, story_tags(slug, head=True))
        window = await run_in_threadpool(self.site.window, slug, self.page_size, before, card.version)
        check_cursor(slug, window)
        return await self.answers.answer(
            request,
            ("page", slug, card.version, before, self.page_size),
            JSON,
            lambda: page_window_json(window, self.page_size),
        )

    async def changes(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        params = query(request, "after", "until", "limit")
        after = int_param(params.get("after"), "after", default=None)
        if after is None:
            raise BadRequest("give after=V, the story version you have (0 for everything)")
        until = int_param(params.get("until"), "until", default=None)
        limit = int_param(params.get("limit"), "limit", default=None)
        limit = DEFAULT_LIMIT if limit is None else limit
        if not 1 <= limit <= MAX_LIMIT:
            raise BadRequest(f"limit must be from 1 to {MAX_LIMIT}")
        if not 0 <= after <= card.version:
            raise BadCursor(f"after must be a version of {slug!r} from 0 to {card.version}; got {after}")
        if until is not None and not after <= until <= card.version:
            raise BadCursor(
                f"until must be a version of {slug!r} from {after} to {card.version}; got {until}"
            )
        # A range that ends at a known version never changes; without an end it is the head.
        last = card.version if until is None else until
        if until is None:
            mark(request, Freshness.HEAD, story_tags(slug, head=True))
        else:
            mark(request, Freshness.VERSIONED, story_tags(slug, head=False))

        def make() -> str:
            answer = self.site.changes(slug, after, limit, through=last, card=card)
            return changes_json(slug, answer.version, last, answer.changes, answer.has_more)

        key = ("changes", slug, card.version, after, until, limit)
        return await self.answers.answer(request, key, JSON, make)


def page_window_json(window: PageWindow, size: int) -> str:
    """One page of a story as `page --format json` prints a page, its updates those of this page,
    `key_events` the whole story's, and `paging`: `{"size", "before", "older", "newer"}` (the
    neighbours' addresses, or null)."""
    data = page_to_dict(window.page)
    data["key_events"] = [
        {"number": u.number, "title": u.title, "posted_at": iso(u.posted_at)} for u in window.key_events
    ]
    slug = window.page.slug
    newer = "/api/" + story_path(slug, before=window.newer) if window.has_newer else None
    older = "/api/" + story_path(slug, before=window.older) if window.older is not None else None
    data["paging"] = {"size": size, "before": window.before, "older": older, "newer": newer}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
