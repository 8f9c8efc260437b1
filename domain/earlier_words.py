"""Words sealed before they were an update's: a submission's (`submission/<story>/<S>`) and a
scheduled post's (`scheduled/<story>/<S>`), each under its own key.

One that became an update goes with that update's takedown (`Story.take_down_update`; the
application reads which it was off the story's events, `words_before`). One that never did
(withdrawn, rejected, unscheduled, or still waiting) is taken down on its own
(`Story.take_down_earlier_words`), from facts the application reads off the story's events
(`earlier_words`): the aggregate keeps no per-submission history, and snapshots written before
this existed could not say which words were sealed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from domain.chain import is_sealed
from domain.errors import (
    EarlierWordsBecameUpdate,
    EarlierWordsNotSealed,
    EarlierWordsTakenDown,
    ScheduledPostNotFound,
    SubmissionNotFound,
)

SUBMITTED_WORDS = "submission"
SCHEDULED_WORDS = "scheduled"
"""Where an update's words stood before it was posted (`words_before`), and the kinds of
earlier words a takedown names."""
_HOLDING = {
    SUBMITTED_WORDS: frozenset({"UpdateSubmitted", "SubmissionRevised"}),
    SCHEDULED_WORDS: frozenset({"UpdateScheduled"}),
}
"""The events that hold each kind's words (a rescheduling holds none)."""
_BECOMING = {SUBMITTED_WORDS: "SubmissionApproved", SCHEDULED_WORDS: "UpdatePosted"}
"""The event that makes each kind an update (the publisher's post names its scheduled post)."""


@dataclass(frozen=True)
class EarlierWords:
    """What the story's events say of submission or scheduled post `number`: how many events hold
    its words (none: it was never made), whether all of them were stored sealed, and the update
    it became, if it did."""

    kind: str
    number: int
    holders: int
    sealed: bool
    became: int | None


def earlier_words(events: Iterable[Any], kind: str, number: int) -> EarlierWords:
    """Reads submission (`SUBMITTED_WORDS`) or scheduled post (`SCHEDULED_WORDS`) `number` off
    the story's `events`."""
    holders, sealed, became = 0, True, None
    for event in events:
        if getattr(event, kind, None) != number:
            continue
        name = type(event).__name__
        if name in _HOLDING[kind]:
            holders += 1
            sealed = sealed and is_sealed(event)
        elif name == _BECOMING[kind]:
            became = event.number
    return EarlierWords(kind, number, holders, sealed and holders > 0, became)


def words_before(events: Iterable[Any], number: int) -> tuple[str, int] | None:
    """The submission (`SUBMITTED_WORDS`, S) or scheduled post (`SCHEDULED_WORDS`, S) whose sealed
    words became update `number`, read off the story's `events`, if it came from one: a takedown
    shreds them too. None for an update posted as it was written, or from words stored in clear."""
    for event in events:
        if getattr(event, "number", None) != number:
            continue
        name = type(event).__name__
        if name == _BECOMING[SUBMITTED_WORDS]:
            before = (SUBMITTED_WORDS, event.submission)
        elif name == _BECOMING[SCHEDULED_WORDS]:
            scheduled = getattr(event, SCHEDULED_WORDS, None)
            before = None if scheduled is None else (SCHEDULED_WORDS, scheduled)
        else:
            continue  # a later change of the update
        return before if before is not None and is_sealed(event) else None
    return None


class _Story(Protocol):
    slug: str
    submission_count: int
    scheduled_count: int
    earlier_taken_down: list[list[Any]] | tuple[list[Any], ...]


def check_takedown(story: _Story, words: EarlierWords) -> None:
    """Refuses a takedown of earlier words that were never made, were taken down already, became
    an update, or were stored in clear."""
    slug = story.slug
    last = story.submission_count if words.kind == SUBMITTED_WORDS else story.scheduled_count
    if not 1 <= words.number <= last or not words.holders:
        if words.kind == SUBMITTED_WORDS:
            raise SubmissionNotFound(slug, words.number, last)
        raise ScheduledPostNotFound(slug, words.number, last)
    if [words.kind, words.number] in [list(entry) for entry in story.earlier_taken_down]:
        raise EarlierWordsTakenDown(slug, words.kind, words.number)
    if words.became is not None:
        raise EarlierWordsBecameUpdate(slug, words.kind, words.number, words.became)
    if not words.sealed:
        raise EarlierWordsNotSealed(slug, words.kind, words.number)
