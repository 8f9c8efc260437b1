"""What a search engine reads of a story's page: schema.org's `LiveBlogPosting` (JSON-LD), built
in this one place from the typed page (`domain/page.py`) and the masthead (who publishes it and
where it lives)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.blocks import Block, BulletList, Image, Paragraph, Quote
from domain.page import Page, Update
from infrastructure.rendering import times
from infrastructure.rendering.html_page import safe_url
from infrastructure.web.masthead import Masthead, Publisher


def live_blog_posting(page: Page, masthead: Masthead) -> dict[str, Any]:
    """The page as a `LiveBlogPosting`: its address, coverage times, publisher (also its author:
    the page names no editors), first image, and each update shown, its byline as its author."""
    header = page.header
    url = masthead.story_url(page.slug)
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": page.headline,
        "dateModified": times.iso(page.updated_at),
        "author": organisation(masthead.publisher),
        "publisher": organisation(masthead.publisher, with_logo=True),
    }
    if page.standfirst:
        posting["description"] = page.standfirst
    image = first_image(page)
    if image is not None:
        posting["image"] = masthead.resolved(image)
    if header.published_at is not None:
        posting["coverageStartTime"] = times.milliseconds_time(header.published_at)
        posting["datePublished"] = times.milliseconds_time(header.published_at)
    if header.closed_at is not None:
        posting["coverageEndTime"] = times.milliseconds_time(header.closed_at)
    posting["liveBlogUpdate"] = [blog_posting(u, url) for u in page.updates]
    return posting


def blog_posting(update: Update, story_url: str) -> dict[str, Any]:
    """One update as a `BlogPosting`; its byline, if it has one, is its author."""
    anchor = f"{story_url}#update-{update.number}"
    posting: dict[str, Any] = {
        "@type": "BlogPosting",
        "@id": anchor,
        "url": anchor,
        "headline": update.title,
        "datePublished": times.iso(update.posted_at),
        "dateModified": times.iso(last_changed(update)),
        "articleBody": article_body(update.blocks),
    }
    if update.byline:
        posting["author"] = {"@type": "Person", "name": update.byline}
    return posting


def organisation(publisher: Publisher, *, with_logo: bool = False) -> dict[str, Any]:
    """The publisher as a schema.org `Organization` (with its logo, as `publisher` wants it)."""
    named: dict[str, Any] = {"@type": "Organization", "name": publisher.name, "url": publisher.url}
    if with_logo:
        named["logo"] = {"@type": "ImageObject", "url": publisher.logo}
    return named


def first_image(page: Page) -> str | None:
    """The source of the first image on the page (in reading order) that has one a page may show."""
    for update in page.updates:
        for block in update.blocks:
            if isinstance(block, Image) and block.source and safe_url(block.source):
                return block.source
    return None


def last_changed(update: Update) -> datetime:
    """When readers last saw the update change: posted, revised or corrected."""
    moments = [update.posted_at, update.revised_at, *(c.at for c in update.corrections)]
    return max(m for m in moments if m is not None)


def article_body(blocks: tuple[Block, ...]) -> str:
    """The update's words as plain text, a block to a paragraph."""
    return "\n\n".join(_plain(block) for block in blocks)


def _plain(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Quote):
        attribution = f" – {block.attribution}" if block.attribution else ""
        return f"“{block.text}”{attribution}"
    if isinstance(block, BulletList):
        return "\n".join(f"- {item}" for item in block.items)
    credit = f" (Credit: {block.credit})" if block.credit else ""
    return f"{block.caption}{credit}"
