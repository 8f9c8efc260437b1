"""The readers' pages: the story index, a story's pages (the newest and older ones, now, at a
version or a time, key events only; `paging.py`), an update's own page and the Atom feed."""

from __future__ import annotations

import hashlib

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from infrastructure.web.answers import ATOM, HTML, Answers
from infrastructure.web.cache_policy import Freshness, list_tags, mark, story_tags
from infrastructure.web.changes import READER_KINDS
from infrastructure.web.errors import (
    BadRequest,
    before_param,
    filter_param,
    moment_param,
    query,
    version_param,
)
from infrastructure.web.feed import render_feed
from infrastructure.web.html import IndexEntry, render_index, render_story, render_update_page
from infrastructure.web.masthead import Masthead, masthead
from infrastructure.web.paging import PAGE_SIZE, check_cursor, page_links
from infrastructure.web.reading import PageMissing
from infrastructure.web.site import Site


class PageRoutes:
    """`/`, `/stories/{slug}`, `/stories/{slug}/updates/{number}` and `/stories/{slug}/feed.atom`."""

    def __init__(
        self,
        site: Site,
        answers: Answers,
        base_url: str,
        about: Masthead | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.site = site
        self.answers = answers
        self.base_url = base_url
        self.masthead = about or masthead(base_url if base_url != "/" else None)
        self.page_size = page_size

    async def index(self, request: Request) -> Response:
        query(request)
        cards = self.site.visible_cards()
        tag = cards_tag(self.site)
        mark(request, Freshness.HEAD, list_tags())

        def make() -> str:
            return render_index([IndexEntry(self.site.page(c.slug)) for c in cards], self.masthead)

        return await self.answers.answer(request, ("index", tag), HTML, make)

    async def story(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        params = query(request, "version", "at", "filter", "before")
        version = version_param(params.get("version"))
        moment = moment_param(params.get("at"))
        before = before_param(params.get("before"))
        if version is not None and moment is not None:
            raise BadRequest("give version or at, not both")
        if moment is not None:
            version = await run_in_threadpool(self.site.version_at, slug, moment)
        key_events_only = filter_param(params.get("filter"))
        wanted = card.version if version is None else version
        archived = version is not None
        # A page at a version asked for never changes (but by a takedown or an erasure, which
        # purge the whole story); a page as it is now shows the header and the whole story's key
        # events, so every event of the story makes it stale (the head's tag).
        asked = params.get("version") is not None
        mark(request, Freshness.VERSIONED if asked else Freshness.HEAD, story_tags(slug, head=not asked))
        window = await run_in_threadpool(self.site.window, slug, self.page_size, before, wanted)
        check_cursor(slug, window)

        def make() -> str:
            links = page_links(slug, window, version=wanted if archived else None)
            shown = {"archived": archived, "key_events_only": key_events_only}
            return render_story(window, links, kinds=READER_KINDS, site=self.masthead, **shown)

        # The story's version validates a past version's page too: a takedown rewrites it.
        key = ("story", slug, wanted, archived, key_events_only, before, self.page_size, self.base_url)
        return await self.answers.answer(request, key, HTML, make, validator=card.version)

    async def update(self, request: Request) -> Response:
        """An update's own page (`/stories/{slug}/updates/{number}`): 410 once it is retracted."""
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        query(request)
        number = request.path_params["number"]
        if not number.isascii() or not number.isdigit() or len(number) > 9 or int(number) < 1:
            raise PageMissing(f"no update {number[:40]!r}")
        shown = await run_in_threadpool(self.site.update_page, slug, int(number))
        update = shown.page.update(shown.number)
        if update is None:
            if shown.number > shown.last_number:
                raise PageMissing(f"story {slug!r} has no update {shown.number}")
            raise HTTPException(410, "This update was withdrawn: the story no longer shows it.")
        # It shows the story's header beside the update: the head's tag, as a page now has.
        mark(request, Freshness.HEAD, story_tags(slug, head=True, updates=(shown.number,)))

        def make() -> str:
            return render_update_page(shown, update, self.masthead)

        key = ("update", slug, card.version, shown.number, self.base_url)
        return await self.answers.answer(request, key, HTML, make)

    async def feed(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        card = self.site.visible(slug)
        query(request)
        mark(request, Freshness.HEAD, story_tags(slug, head=True))
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
