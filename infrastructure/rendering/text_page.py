"""The live page as plain text for a terminal."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from typing import Any

from domain.blocks import Block, block_to_dict
from domain.live_page import LivePage
from domain.markdown_body import inline_to_plain_text
from infrastructure.rendering.page_view import JsonObject, PageView, page_view

WIDTH = 78


def render_page_text(page: LivePage | PageView) -> str:
    view = page_view(page)
    lines: list[str] = []
    if view.status == "draft":
        lines += ["[DRAFT PREVIEW: not published]", ""]
    lines += [view.headline, "=" * min(len(view.headline), WIDTH)]
    if view.standfirst:
        lines += ["", *_wrap(view.standfirst)]
    lines += ["", f"Status: {view.status} · version {view.version} · updated {_time(view.updated_at)}"]
    if view.key_events:
        lines += ["", "Key events"]
        lines += [f"  * {_time(k['posted_at'])}  {k['title']}" for k in view.key_events]
    lines += ["", "Live updates"]
    if not view.updates:
        lines += ["", "(no updates yet)"]
    for update in view.updates:
        lines += ["", *_update(update)]
    return "\n".join(lines) + "\n"


def _update(update: JsonObject) -> list[str]:
    marks = [m for m, on in (("PINNED", update["pinned"]), ("KEY EVENT", update["key_event"])) if on]
    header = f"[{update['number']}] {_time(update['posted_at'])}"
    if update["byline"]:
        header += f" · {update['byline']}"
    if update["revised_at"]:
        header += f" · revised {_clock(update['revised_at'])}"
    if marks:
        header += "  " + " · ".join(marks)
    lines = ["-" * WIDTH, header, update["title"]]
    for block in update["blocks"]:
        lines += ["", *_block(block)]
    for correction in update["corrections"]:
        lines += ["", *_wrap(f"Corrected at {_clock(correction['at'])}: {correction['note']}")]
    return lines


def render_blocks_text(blocks: tuple[Block, ...]) -> str:
    """An update's body as plain text, blocks separated by blank lines."""
    lines: list[str] = []
    for block in blocks:
        lines += [*([""] if lines else []), *_block(block_to_dict(block))]
    return "\n".join(lines) + "\n"


def format_time(moment: datetime) -> str:
    """A time as the text page shows it: 2013-05-10 14:32 UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _block(block: dict[str, Any]) -> list[str]:
    kind = block["kind"]
    if kind == "paragraph":
        return _wrap(inline_to_plain_text(block["text"]))
    if kind == "quote":
        quoted = [f"    {line}" for line in _wrap(inline_to_plain_text(block["text"]), WIDTH - 4)]
        return quoted + ([f"    \u2013 {block['attribution']}"] if block["attribution"] else [])
    if kind == "list":
        lines = []
        for index, item in enumerate(block["items"], start=1):
            marker = f"{index}." if block["ordered"] else "\u2022"
            wrapped = _wrap(inline_to_plain_text(item), WIDTH - 4)
            lines += [f"  {marker} {wrapped[0]}", *(f"    {rest}" for rest in wrapped[1:])]
        return lines
    caption = f"[Image] {block['caption']}".rstrip()
    if block["credit"]:
        caption += f" Credit: {block['credit']}"
    return _wrap(caption)


def _wrap(text: str, width: int = WIDTH) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, width) or [""]
    return lines


def _time(moment: str) -> str:
    """An `iso()` time (UTC, `Z`) as 2013-05-10 14:32 UTC."""
    return f"{moment[:10]} {moment[11:16]} UTC"


def _clock(moment: str) -> str:
    """An `iso()` time as 14:32."""
    return moment[11:16]
