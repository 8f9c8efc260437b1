"""Body blocks: the structured content of an update (paragraphs, quotes, lists, images)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline Markdown, stored as the editor typed it."""

    text: str


@dataclass(frozen=True)
class Quote:
    """A quotation with the person or body it is attributed to."""

    text: str
    attribution: str | None = None


@dataclass(frozen=True)
class BulletList:
    """A list of items, bulleted or numbered."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Image:
    """An image with its caption, its source where known and its credit."""

    caption: str
    source: str | None = None
    credit: str | None = None


Block = Paragraph | Quote | BulletList | Image

BLOCK_KINDS: dict[str, type[Block]] = {
    "paragraph": Paragraph,
    "quote": Quote,
    "list": BulletList,
    "image": Image,
}
_KIND_OF: dict[type, str] = {cls: kind for kind, cls in BLOCK_KINDS.items()}


def block_to_dict(block: Block) -> dict[str, Any]:
    """The block as plain JSON values, tagged with its kind."""
    data: dict[str, Any] = {"kind": _KIND_OF[type(block)]}
    data.update(vars(block))
    if isinstance(block, BulletList):
        data["items"] = list(block.items)
    return data


def block_from_dict(data: dict[str, Any]) -> Block:
    """The block that `block_to_dict` turned into `data`."""
    kind = data["kind"]
    if kind == "paragraph":
        return Paragraph(data["text"])
    if kind == "quote":
        return Quote(data["text"], data["attribution"])
    if kind == "list":
        return BulletList(tuple(data["items"]), data["ordered"])
    if kind == "image":
        return Image(data["caption"], data["source"], data["credit"])
    raise ValueError(f"no kind of block is called {kind!r}")


def quotes_in(body: tuple[Block, ...]) -> list[tuple[int, Quote]]:
    """The quotes of a body with their block positions, in order of appearance."""
    return [(i, b) for i, b in enumerate(body) if isinstance(b, Quote)]
