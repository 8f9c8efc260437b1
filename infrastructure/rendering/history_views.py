"""The revision history as JSON (one object per event) and as text for a terminal."""

from __future__ import annotations

from typing import Any

from infrastructure.page_json import values
from infrastructure.projections.history_reading import HistoryEntry
from infrastructure.rendering.attribution import attribution_line
from infrastructure.rendering.text_diff import word_diff
from infrastructure.rendering.text_page import render_blocks_text
from infrastructure.rendering.times import iso, long_time

INDENT = " " * 8


def entry_to_dict(entry: HistoryEntry) -> dict[str, Any]:
    signed = {} if entry.signed_by is None else {"signed_by": entry.signed_by}
    return {
        "version": entry.version,
        "at": iso(entry.at),
        "editor": entry.editor,
        "type": entry.event_type,
        "update": entry.update,
        "label": entry.label,
        "reason": entry.reason,
        "before": values(entry.before),
        "after": values(entry.after),
        **signed,
    }


def render_history_text(entries: list[HistoryEntry]) -> str:
    lines: list[str] = []
    for entry in entries:
        editor = entry.editor if entry.signed_by is None else f"{entry.editor} [{entry.signed_by}]"
        line = f"v{entry.version:<4} {long_time(entry.at)}  {editor:<16} {entry.label}"
        if entry.reason:
            line += f" \u2014 {entry.reason}"
        lines.append(line)
        lines += [INDENT + detail for detail in _details(entry)]
    return "\n".join(lines) + "\n" if lines else ""


def _details(entry: HistoryEntry) -> list[str]:
    before, after = entry.before or {}, entry.after or {}
    if entry.event_type in ("HeadlineChanged", "StandfirstChanged"):
        field = "headline" if entry.event_type == "HeadlineChanged" else "standfirst"
        return [f"before: {_quoted(before.get(field))}", f"after:  {_quoted(after.get(field))}"]
    if entry.event_type == "QuoteCorrected":
        return [f"before: {_quote_line(before)}", f"after:  {_quote_line(after)}"]
    if entry.event_type == "UpdateRevised":
        details = []
        if before.get("title") != after.get("title"):
            details += [
                f"title before: {_quoted(before.get('title'))}",
                f"title after:  {_quoted(after.get('title'))}",
            ]
        if before.get("blocks") != after.get("blocks"):
            old, new = (_blocks_text(side.get("blocks")) for side in (before, after))
            details += ["body:", *(f"  {line}" for line in word_diff(old, new, context=1))]
        return details
    if entry.event_type == "SubmissionApproved":
        return [f"submitted by {after.get('submitted_by')}"]
    if "order" in after:  # a takedown's legal order (the note is its reason)
        return [f"under order {after['order']}"]
    return []


def _quoted(value: Any) -> str:
    return "(none)" if value is None else f"\u201c{value}\u201d"


def _quote_line(side: dict[str, Any]) -> str:
    if not side:
        return "(unknown)"
    credited = attribution_line(side.get("attribution"))
    return _quoted(side.get("text")) + (f" {credited}" if credited else "")


def _blocks_text(blocks: tuple[Any, ...] | None) -> str:
    return render_blocks_text(tuple(blocks or ()))
