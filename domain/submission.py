"""A submission: an update offered for approval (by a contributor, or an editor), not on the page
until an editor approves it. Its events are the story's (`Story.UpdateSubmitted` ...); this is
how a pending one stands, as the application reads it back for the editors and for approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.blocks import Block


@dataclass(frozen=True)
class Submission:
    """A pending submission: its words as last revised, who submitted it and when."""

    number: int
    title: str
    byline: str | None
    body: tuple[Block, ...]
    submitted_by: str
    submitted_at: datetime
