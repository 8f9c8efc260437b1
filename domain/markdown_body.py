"""Turns the Markdown an editor types into body blocks, using markdown-it-py's token stream."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from domain.blocks import Block, BulletList, Image, Paragraph, Quote

if TYPE_CHECKING:
    # Imported by the first parse: a process that parses no body (a read) never loads markdown-it.
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

ATTRIBUTION_DASHES = ("-", "\u2013", "\u2014")
CREDIT_PREFIX = "credit:"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Raw HTML is not interpreted: a body that mentions <script> is text about a script tag.
    return MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Blocks only: paragraphs keep their inline Markdown as typed, so inline parsing (two thirds
    # of the time) is run only where it decides something, on a paragraph that opens with an image.
    return MarkdownIt("commonmark", {"html": False}).disable("inline")


def parse_body(markdown: str) -> tuple[Block, ...]:
    """The blocks of a Markdown body, in the order they appear."""
    env: dict[str, Any] = {}  # link reference definitions, for an image given by reference
    tokens = _block_parser().parse(markdown, env)
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        end = _closing_index(tokens, i)
        if token.type == "paragraph_open":
            _add_paragraph(blocks, tokens[i + 1], env)
        elif token.type == "blockquote_open":
            blocks.append(_quote(tokens[i + 1 : end]))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            items = _list_items(tokens[i + 1 : end])
            blocks.append(BulletList(items, ordered=token.type == "ordered_list_open"))
        elif token.type == "heading_open":
            blocks.append(Paragraph(tokens[i + 1].content.strip()))
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(Paragraph(token.content.rstrip("\n")))
        i = end + 1
    return tuple(blocks)


def _closing_index(tokens: list[Token], start: int) -> int:
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _add_paragraph(blocks: list[Block], inline: Token, env: dict[str, Any]) -> None:
    image = _leading_image(inline.content, env)
    if image is None:
        credit = _credit_line(inline.content)
        last = blocks[-1] if blocks else None
        if credit is not None and isinstance(last, Image) and not last.credit:
            blocks[-1] = Image(last.caption, last.source, credit)
        elif inline.content.strip():
            blocks.append(Paragraph(inline.content.strip()))
        return
    lines = inline.content.split("\n")
    caption = _plain_text(image.children or []).strip()
    source = str(image.attrGet("src") or "") or None
    rest = [line.strip() for line in lines[1:] if line.strip()]
    credit = _credit_line(rest[0]) if rest else None
    if credit is not None:
        rest = rest[1:]
    blocks.append(Image(caption, source, credit))
    if rest:
        blocks.append(Paragraph("\n".join(rest)))


def _leading_image(content: str, env: dict[str, Any]) -> Token | None:
    """The image a paragraph opens with, if it opens with one."""
    if not content.startswith("!["):
        return None
    [inline] = _parser().parseInline(content, env)
    children = inline.children or []
    return children[0] if children and children[0].type == "image" else None


def _credit_line(text: str) -> str | None:
    stripped = text.strip()
    if stripped.lower().startswith(CREDIT_PREFIX) and "\n" not in stripped:
        return stripped[len(CREDIT_PREFIX) :].strip() or None
    return None


def _quote(tokens: list[Token]) -> Quote:
    paragraphs = [t.content.strip() for t in tokens if t.type == "inline"]
    attribution = None
    # "> - The spokesman" parses as a one-item list inside the quote; it is the attribution.
    if len(paragraphs) > 1 and tokens[-1].type == "bullet_list_close" and tokens[-1].markup == "-":
        attribution = paragraphs.pop()
    elif paragraphs:
        lines = paragraphs[-1].split("\n")
        last = lines[-1].strip()
        # A dash line is the attribution only when words come before it.
        if last.startswith(ATTRIBUTION_DASHES) and (len(lines) > 1 or len(paragraphs) > 1):
            attribution = last.lstrip("".join(ATTRIBUTION_DASHES)).strip() or None
            paragraphs[-1] = "\n".join(lines[:-1]).strip()
            if not paragraphs[-1]:
                paragraphs.pop()
    return Quote("\n\n".join(paragraphs), attribution)


def _list_items(tokens: list[Token]) -> tuple[str, ...]:
    items: list[str] = []
    depth = 0
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            if depth == 1:
                items.append("")
        elif token.type == "list_item_close":
            depth -= 1
        elif token.type == "inline" and items:
            text = token.content.strip()
            items[-1] = f"{items[-1]}\n{text}" if items[-1] else text
    return tuple(item for item in items if item)


def _plain_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_plain_text(child.children or []))
    return "".join(parts)


def inline_to_plain_text(markdown: str) -> str:
    """Inline Markdown as a reader sees it, without the markup characters."""
    tokens = _parser().parseInline(markdown)
    return _plain_text(tokens[0].children or []) if tokens else ""
