"""The seed live blog's content, line by line, for checking that a rendering keeps all of it in order."""

from __future__ import annotations

import re
from pathlib import Path

SEED_PAGE = Path(__file__).parent / "fixtures" / "seed_page.txt"
SEED_SLUG = "disputes-over-syria-summit-plan"
PAGE_CHROME = {"Live updates", "Back to top", "Latest ITV News reports"}
PHOTOGRAPHS_LEFT_OUT = {
    "David Cameron speaking in Sochi",
    "Prime Minister David Cameron and Russia's President Vladimir Putin as they will hold talks this week "
    "Credit: Sang Tan/PA Wire",
}
"""The captions of the original's photographs: the seed has no picture to show them with, so it
leaves the images out rather than show a caption under nothing."""


def seed_content_lines() -> list[str]:
    """Every line of the seed page's content, without the site's chrome or list markers."""
    lines = []
    for raw in SEED_PAGE.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\s*(?:\u2022|\d+\.)\s*", "", raw).strip()
        if line and line not in PAGE_CHROME and line not in PHOTOGRAPHS_LEFT_OUT:
            lines.append(normalise(line))
    return lines


def normalise(text: str) -> str:
    return " ".join(text.split())


def missing_or_out_of_order(rendered: str) -> list[str]:
    """The seed lines not found in `rendered` after the previous one (empty when all are there)."""
    text, position, problems = normalise(rendered), 0, []
    for line in seed_content_lines():
        found = text.find(line, position)
        if found < 0:
            problems.append(line)
        else:
            position = found + len(line)
    return problems
