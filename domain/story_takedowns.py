"""Takedowns: words removed on legal grounds, an update's or those of a submission or scheduled
post that never became one (`domain/earlier_words.py`). Each event records the order and the
public note, never the words, whose key the caller then destroys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain import rules
from domain.earlier_words import SCHEDULED_WORDS, SUBMITTED_WORDS, EarlierWords, check_takedown
from domain.errors import UpdateAlreadyTakenDown, UpdateNotSealed
from domain.meaning import BehindThePage, Meaning, PageState, Seen, Told
from domain.story_event import StoryEvent
from domain.story_updates import UpdateCommands


class _TakenDown(Meaning):
    """Words taken down: their key destroyed, the order named in the log and the history (the
    public note is the reason), so one story's history says what legal order removed which words."""

    takes_words_down = True
    reason_field = "note"

    def summary(self, event: Any) -> str:
        return f"{self.label(event)} under order {event.order!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"order": event.order})


class _UpdateTakenDown(_TakenDown):
    """The update's words are gone from every version: the page shows the public note in its
    place from this version on (earlier versions, which cannot know the note, show it without)."""

    reader_change = "revised"

    def apply(self, page: PageState, event: Any) -> None:
        page.erase(event.number)
        update = page.update(event.number)
        if update is not None:
            page.show(update.erased(event.note))

    def label(self, event: Any) -> str:
        return f"Update {event.number} taken down"


class UpdateTakenDown(StoryEvent):
    """An update taken down on legal grounds: the order it was taken down under and the public
    note readers see in its place; never its words, whose key is destroyed with it."""

    number: int
    order: str
    note: str
    meaning = _UpdateTakenDown()

    def apply(self, story: TakedownCommands) -> None:
        story.taken_down = [*story.taken_down, self.number]


class _EarlierWordsTakenDown(BehindThePage, _TakenDown):
    """A submission's or scheduled post's words taken down: behind the page, as they always were."""

    def __init__(self, what: str, field: str) -> None:
        self.what, self.field = what, field

    def label(self, event: Any) -> str:
        return f"{self.what} {getattr(event, self.field)} taken down"


class SubmissionTakenDown(StoryEvent):
    """A submission's words taken down on legal grounds: the order and the public note, never
    its words, whose key is destroyed with it."""

    submission: int
    order: str
    note: str
    meaning = _EarlierWordsTakenDown("Submission", SUBMITTED_WORDS)

    def apply(self, story: TakedownCommands) -> None:
        story._earlier_taken_down(SUBMITTED_WORDS, self.submission)


class ScheduledPostTakenDown(StoryEvent):
    """A scheduled post's words taken down on legal grounds, as a submission's."""

    scheduled: int
    order: str
    note: str
    meaning = _EarlierWordsTakenDown("Scheduled post", SCHEDULED_WORDS)

    def apply(self, story: TakedownCommands) -> None:
        story._earlier_taken_down(SCHEDULED_WORDS, self.scheduled)


class TakedownCommands(UpdateCommands):
    """The story's takedowns (part of `Story`); a takedown unpins the update it takes down."""

    def take_down_update(
        self, number: int, *, order: str, note: str, editor: str, at: datetime, role: str | None = None
    ) -> None:
        """Takes an update down (retracted or not): the caller then destroys its key. Only an
        update posted sealed can be: the words of one stored before sealing stay in the store."""
        self.require_update(number)
        if number in self.taken_down:
            raise UpdateAlreadyTakenDown(self.slug, number)
        if not self.posted_sealed(number):
            raise UpdateNotSealed(self.slug, number)
        order = rules.valid_line("order", order, rules.REASON_MAX)
        note = rules.valid_text("note", note, rules.REASON_MAX)
        if self.pinned == number:
            self.unpin_update(number, editor=editor, at=at, role=role)
        self._record(UpdateTakenDown, editor, at, role, number=number, order=order, note=note)

    def take_down_earlier_words(
        self,
        words: EarlierWords,
        *,
        order: str,
        note: str,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> None:
        """Takes down the words of a submission or scheduled post that never became an update
        (`words`, read off the story's events): the caller then destroys their key."""
        check_takedown(self, words)
        order = rules.valid_line("order", order, rules.REASON_MAX)
        note = rules.valid_text("note", note, rules.REASON_MAX)
        event_class = SubmissionTakenDown if words.kind == SUBMITTED_WORDS else ScheduledPostTakenDown
        self._record(event_class, editor, at, role, order=order, note=note, **{words.kind: words.number})

    def _earlier_taken_down(self, kind: str, number: int) -> None:
        self.earlier_taken_down = [*self.earlier_taken_down, [kind, number]]
        if kind == SUBMITTED_WORDS:
            self.pending = [entry for entry in self.pending if entry[0] != number]
        else:
            self.scheduled = [entry for entry in self.scheduled if entry[0] != number]
