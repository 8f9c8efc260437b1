"""What a link preview and a search result show of a page: its description, canonical address and
Open Graph and Twitter card tags, as one typed value that the `head_meta` partial
(`templates/head_meta.html.j2`) writes into any page's head."""

from __future__ import annotations

from dataclasses import dataclass

from domain.page import Page
from infrastructure.web.masthead import Masthead
from infrastructure.web.structured_data import first_image

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


def story_head_meta(page: Page, masthead: Masthead) -> HeadMeta:
    """A story page's preview: its headline, its standfirst (or, without one, its headline) as
    the description, its first image."""
    image = first_image(page)
    return HeadMeta(
        title=page.headline,
        description=description(page.standfirst or page.headline),
        site_name=masthead.publisher.name,
        url=masthead.story_url(page.slug) if masthead.absolute else None,
        image=masthead.resolved(image) if image is not None else None,
    )


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
