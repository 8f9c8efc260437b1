"""What a link preview and a search result show of a page: its description, canonical address and
Open Graph and Twitter card tags, as one typed value that the `head_meta` partial
(`templates/head_meta.html.j2`) writes into any page's head."""

from __future__ import annotations

from dataclasses import dataclass

from domain.page import Page, Update
from infrastructure.web.masthead import Masthead
from infrastructure.web.paging import update_path
from infrastructure.web.structured_data import article_body, first_image, first_image_of

DESCRIPTION_MAX = 300
"""Characters of a description: a search result shows about half; a preview card, less."""


@dataclass(frozen=True)
class HeadMeta:
    """A page's preview: `url` is its canonical address, named only when it is absolute (a
    public URL is configured), as Open Graph and a canonical link need; `image` likewise absolute
    when it can be."""

    title: str
    description: str
    site_name: str
    url: str | None = None
    image: str | None = None
    kind: str = "article"


def story_head_meta(page: Page, masthead: Masthead, path: str | None = None) -> HeadMeta:
    """A page of a story's preview: its headline, its standfirst (or, without one, its headline)
    as the description, its first image; its address the story's, or `path` (from the site's
    root: an older page's own)."""
    image = first_image(page)
    return HeadMeta(
        title=page.headline,
        description=description(page.standfirst or page.headline),
        site_name=masthead.publisher.name,
        url=_canonical(masthead, masthead.story_url(page.slug) if path is None else masthead.base_url + path),
        image=masthead.resolved(image) if image is not None else None,
    )


def update_head_meta(page: Page, update: Update, masthead: Masthead) -> HeadMeta:
    """An update's own page's preview: its title and the story's headline, its words (or, without
    any, the headline) as the description, its own first image, else the story's."""
    image = first_image_of(update.blocks) or first_image(page)
    return HeadMeta(
        title=f"{update.title} · {page.headline}" if update.title else page.headline,
        description=description(article_body(update.blocks) or page.headline),
        site_name=masthead.publisher.name,
        url=_canonical(masthead, masthead.base_url + update_path(page.slug, update.number)),
        image=masthead.resolved(image) if image is not None else None,
    )


def _canonical(masthead: Masthead, url: str) -> str | None:
    """A canonical address is named only when it is absolute (a relative one fails crawlers)."""
    return url if masthead.absolute else None


def index_head_meta(masthead: Masthead) -> HeadMeta:
    """The story index's preview: the publisher's live coverage, at the site's address."""
    name = masthead.publisher.name
    return HeadMeta(
        title="Live coverage",
        description=f"Live coverage from {name}: the stories as they unfold.",
        site_name=name,
        url=masthead.base_url if masthead.absolute else None,
        kind="website",
    )


def description(text: str) -> str:
    """`text` on one line, cut at a word to at most `DESCRIPTION_MAX` characters."""
    line = " ".join(text.split())
    if len(line) <= DESCRIPTION_MAX:
        return line
    cut = line[: DESCRIPTION_MAX - 1].rsplit(" ", 1)[0]
    return f"{cut}…"
