"""The live page as a complete, self-contained HTML document, from a Jinja2 template.

Every string an editor typed is escaped by the template (autoescape is on); paragraphs, quotes and
list items are inline Markdown, rendered by markdown-it-py with raw HTML off and only safe link
targets: a `javascript:`, `vbscript:` or non-image `data:` URL never becomes a link or an image.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader
from markdown_it import MarkdownIt
from markupsafe import Markup

from domain.blocks import BulletList, Image, Paragraph, Quote
from domain.page import Page
from infrastructure.rendering import times
from infrastructure.rendering.attribution import attribution_line
from infrastructure.rendering.bidi import rendered

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


def html_environment(*loaders: BaseLoader, keep_trailing_newline: bool = False) -> Environment:
    """A Jinja environment for HTML for readers: its templates from `loaders`, then the update
    partial (`update.html.j2`), its filters and tests; escaping on, bidi controls out of every
    expression."""
    environment = Environment(
        loader=ChoiceLoader([*loaders, PackageLoader("infrastructure.rendering", "templates")]),
        autoescape=True,
        finalize=rendered,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
    environment.filters.update(
        attribution_line=attribution_line,
        inline=inline_markdown,
        paragraphs=paragraphs,
        clock_time=times.clock_time,
        long_time=times.long_time,
        day_and_time=times.day_and_time,
        machine_time=times.machine_time,
        milliseconds_time=times.milliseconds_time,
    )
    environment.tests.update(
        safe_url=lambda url: bool(url) and safe_url(url),
        paragraph=lambda block: isinstance(block, Paragraph),
        quote=lambda block: isinstance(block, Quote),
        bullet_list=lambda block: isinstance(block, BulletList),
        image=lambda block: isinstance(block, Image),
    )
    return environment


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return html_environment(keep_trailing_newline=True)


def render_page_html(page: Page) -> str:
    """The page as an HTML5 document with its styles inline and no scripts."""
    return _environment().get_template("page.html.j2").render(page=page)
