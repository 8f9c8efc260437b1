"""The live page as plain text for a terminal."""

from __future__ import annotations

import textwrap

from domain.blocks import Block, BulletList, Paragraph, Quote
from domain.markdown_body import inline_to_plain_text
from domain.page import Page, Update
from infrastructure.rendering.attribution import attribution_line
from infrastructure.rendering.bidi import shown_bidi_controls
from infrastructure.rendering.times import clock_time, long_time

WIDTH = 78


def render_page_text(page: Page) -> str:
    lines: list[str] = []
    if page.status == "draft":
        lines += ["[DRAFT PREVIEW: not published]", ""]
    lines += [page.headline, "=" * min(len(page.headline), WIDTH)]
    if page.standfirst:
        lines += ["", *_wrap(page.standfirst)]
    lines += ["", f"Status: {page.status} · version {page.version} · updated {long_time(page.updated_at)}"]
    key_events = page.key_events
    if key_events:
        lines += ["", "Key events"]
        lines += [f"  * {long_time(u.posted_at)}  {u.title}" for u in key_events]
    lines += ["", "Live updates"]
    if not page.updates:
        lines += ["", "(no updates yet)"]
    for update in page.updates:
        lines += ["", *_update(update, pinned=page.is_pinned(update))]
    # A terminal may apply bidi controls too: the editor sees each one, written out, instead.
    return shown_bidi_controls("\n".join(lines) + "\n")


def _update(update: Update, *, pinned: bool) -> list[str]:
    marks = [m for m, on in (("PINNED", pinned), ("KEY EVENT", update.key_event)) if on]
    header = f"[{update.number}] {long_time(update.posted_at)}"
    if update.byline:
        header += f" · {update.byline}"
    if update.revised_at:
        header += f" · revised {clock_time(update.revised_at)}"
    if marks:
        header += "  " + " · ".join(marks)
    lines = ["-" * WIDTH, header, update.title]
    for block in update.blocks:
        lines += ["", *_block(block)]
    for correction in update.corrections:
        lines += ["", *_wrap(f"Corrected at {clock_time(correction.at)}: {correction.note}")]
    return lines


def render_blocks_text(blocks: tuple[Block, ...]) -> str:
    """An update's body as plain text, blocks separated by blank lines."""
    lines: list[str] = []
    for block in blocks:
        lines += [*([""] if lines else []), *_block(block)]
    return "\n".join(lines) + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return _wrap(inline_to_plain_text(block.text))
    if isinstance(block, Quote):
        quoted = [f"    {line}" for line in _wrap(inline_to_plain_text(block.text), WIDTH - 4)]
        credited = attribution_line(block.attribution)
        return quoted + ([f"    {credited}"] if credited else [])
    if isinstance(block, BulletList):
        lines = []
        for index, item in enumerate(block.items, start=1):
            marker = f"{index}." if block.ordered else "\u2022"
            wrapped = _wrap(inline_to_plain_text(item), WIDTH - 4)
            lines += [f"  {marker} {wrapped[0]}", *(f"    {rest}" for rest in wrapped[1:])]
        return lines
    caption = f"[Image] {block.caption}".rstrip()
    if block.credit:
        caption += f" Credit: {block.credit}"
    return _wrap(caption)


def _wrap(text: str, width: int = WIDTH) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, width) or [""]
    return lines
