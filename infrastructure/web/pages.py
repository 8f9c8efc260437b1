"""The readers' pages: the story index, a story's page (now, at a version or a time, key events
only) and its Atom feed."""

from __future__ import annotations

import hashlib

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from infrastructure.web.answers import ATOM, HTML, Answers
from infrastructure.web.changes import READER_KINDS
from infrastructure.web.errors import BadRequest, filter_param, moment_param, query, version_param
from infrastructure.web.feed import render_feed
from infrastructure.web.html import IndexEntry, render_index, render_story
from infrastructure.web.masthead import Masthead, masthead
from infrastructure.web.site import Site


class PageRoutes:
    """`/`, `/stories/{slug}` and `/stories/{slug}/feed.atom`."""

    def __init__(self, site: Site, answers: Answers, base_url: str, about: Masthead | None = None) -> None:
        self.site = site
        self.answers = answers
        self.base_url = base_url
        self.masthead = about or masthead(base_url if base_url != "/" else None)

    async def index(self, request: Request) -> Response:
        query(request)
        cards = self.site.visible_cards()
        tag = cards_tag(self.site)

        def make() -> str:
            return render_index([IndexEntry(self.site.page(c.slug)) for c in cards], self.masthead)

        return await self.answers.answer(request, ("index", tag), HTML, make)

    async def story(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        params = query(request, "version", "at", "filter")
        version = version_param(params.get("version"))
        moment = moment_param(params.get("at"))
        if version is not None and moment is not None:
            raise BadRequest("give version or at, not both")
        if moment is not None:
            version = await run_in_threadpool(self.site.version_at, slug, moment)
        key_events_only = filter_param(params.get("filter"))
        wanted = card.version if version is None else version
        archived = version is not None

        def make() -> str:
            page = self.site.page(slug, wanted)
            shown = {"archived": archived, "key_events_only": key_events_only}
            return render_story(page, kinds=READER_KINDS, site=self.masthead, **shown)

        # The story's version validates a past version's page too: a takedown rewrites it.
        key = ("story", slug, wanted, archived, key_events_only)
        return await self.answers.answer(request, key, HTML, make, validator=card.version)

    async def feed(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        query(request)
        base_url = self.base_url

        def make() -> str:
            page = self.site.page(slug, card.version)
            events = self.site.events(slug, card.version)
            return render_feed(page, events, base_url=base_url)

        return await self.answers.answer(request, ("feed", slug, card.version, base_url), ATOM, make)


def cards_tag(site: Site) -> str:
    """Names the visible stories at their versions: what the index and the story list show."""
    cards = site.visible_cards()
    return hashlib.sha256(repr(sorted((c.slug, c.version) for c in cards)).encode()).hexdigest()[:16]
