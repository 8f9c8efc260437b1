"""How a quote's attribution is shown: after one dash. An editor who typed the dash as well
("– A Downing Street spokesman") sees it once, not twice; the stored words stay as written."""

from __future__ import annotations

DASHES = "-\u2013\u2014"


def attribution_line(attribution: str | None) -> str:
    """`– NAME`, or "" for a quote attributed to nobody (or to dashes alone)."""
    name = (attribution or "").lstrip(DASHES + " \t")
    return f"\u2013 {name}" if name else ""
