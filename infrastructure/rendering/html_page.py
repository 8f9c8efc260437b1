"""The live page as a complete, self-contained HTML document, from a Jinja2 template.

Every string an editor typed is escaped by the template (autoescape is on); paragraphs, quotes and
list items are inline Markdown, rendered by markdown-it-py with raw HTML off and only safe link
targets: a `javascript:`, `vbscript:` or non-image `data:` URL never becomes a link or an image.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from jinja2 import Environment, PackageLoader
from markdown_it import MarkdownIt
from markupsafe import Markup

from domain.blocks import BulletList, Image, Paragraph, Quote
from domain.page import Page
from infrastructure.rendering.bidi import rendered
from infrastructure.rendering.times import clock_time, iso, long_time

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_DATA = re.compile(r"^data:image/(?:gif|png|jpeg|webp);")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def safe_url(url: str) -> bool:
    """Whether a link or image may point at `url`: http(s), mailto, relative, or a data image."""
    # Browsers ignore control characters and blanks inside a scheme ("java\tscript:").
    compact = _INVISIBLE.sub("", url).lower()
    scheme = _SCHEME.match(compact)
    if scheme is None:
        return True
    if scheme.group(1) == "data":
        return _IMAGE_DATA.match(compact) is not None
    return scheme.group(1) in _SAFE_SCHEMES


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": False})
    markdown.validateLink = safe_url  # type: ignore[method-assign]
    return markdown


def inline_markdown(text: str) -> Markup:
    """Inline Markdown as HTML: text escaped, raw HTML shown as text, unsafe links left as text."""
    return Markup(_markdown().renderInline(text))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text whose paragraphs are separated by blank lines."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


_FRACTION = re.compile(r"(\.\d{3})\d+")


def machine_time(moment: datetime) -> str:
    """A time as `<time datetime>` allows it: ISO 8601 in UTC with at most three digits of a
    second (the rest cut off, never rounded up into the next second)."""
    return _FRACTION.sub(r"\1", iso(moment), count=1)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("infrastructure.rendering", "templates"),
        autoescape=True,
        finalize=rendered,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        inline=inline_markdown,
        paragraphs=paragraphs,
        clock_time=clock_time,
        long_time=long_time,
        machine_time=machine_time,
    )
    environment.tests.update(
        safe_url=lambda url: bool(url) and safe_url(url),
        paragraph=lambda block: isinstance(block, Paragraph),
        quote=lambda block: isinstance(block, Quote),
        bullet_list=lambda block: isinstance(block, BulletList),
        image=lambda block: isinstance(block, Image),
    )
    return environment


def render_page_html(page: Page) -> str:
    """The page as an HTML5 document with its styles inline and no scripts."""
    return _environment().get_template("page.html.j2").render(page=page)
