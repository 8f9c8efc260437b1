"""Updates: a story's numbered posts, what each event does to them and means, and the commands
that check the rules, then record them (`Story.post_update`, `Story.correct_quote`...)."""

from __future__ import annotations

from dataclasses import field, replace
from datetime import datetime
from typing import Any, ClassVar

from domain import rules
from domain.blocks import Block, Quote
from domain.chain import erased_fields
from domain.errors import NothingToChange, NothingToCorrect, NothingToRevise, QuoteNotFound, WrongStatus
from domain.meaning import Meaning, PageState, Seen, Told, Values
from domain.page import Correction, Update
from domain.schedule import as_scheduled
from domain.story_event import StoryEvent
from domain.story_state import CLOSED, StoryState, valid_body
from domain.update_digests import UpdateDigests


class Posted(Meaning):
    """An update appears on the page (posted, or approved from a submission)."""

    reader_change = "posted"

    def apply(self, page: PageState, event: Any) -> None:
        update = Update(
            number=event.number,
            title=event.title,
            byline=event.byline,
            blocks=tuple(event.body),
            posted_at=event.timestamp,
            key_event=event.key_event,
        )
        page.show(update.erased() if erased_fields(event) else update)

    def label(self, event: Any) -> str:
        return f"Update {event.number} posted"

    def summary(self, event: Any) -> str:
        key = " as a key event" if event.key_event else ""
        return f"Update {event.number} posted{key}{as_scheduled(event)}: {event.title!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        posted = {"title": event.title, "byline": event.byline, "key_event": event.key_event}
        return Told(self.label(event), None, {**posted, "blocks": tuple(event.body)})


class UpdatePosted(StoryEvent):
    number: int
    title: str
    byline: str | None
    body: tuple[Block, ...]
    key_event: bool
    scheduled: int | None = field(default=None, kw_only=True)
    """Set by the publisher: the scheduled post it publishes, the time it was scheduled for,
    and whether it is late (none of them stored for an editor's own post)."""
    scheduled_for: datetime | None = field(default=None, kw_only=True)
    late: bool = field(default=False, kw_only=True)
    protected: ClassVar[tuple[str, ...]] = ("title", "byline", "body")
    unset_unstored: ClassVar[tuple[str, ...]] = ("scheduled", "scheduled_for", "late")
    meaning = Posted()

    def apply(self, story: StoryState) -> None:
        if self.scheduled is not None:
            story.scheduled = [e for e in story.scheduled if e[0] != self.scheduled]
        story._posted(self)


class _Revised(Meaning):
    """`title` or `body` None keeps that part (`Story.UpdateRevised`, version 3)."""

    reader_change = "revised"
    reason_field = "reason"

    def apply(self, page: PageState, event: Any) -> None:
        update = page.update(event.number)
        if update is not None and erased_fields(event):
            page.show(replace(update, revised_at=event.timestamp))
        elif update is not None:
            title = update.title if event.title is None else event.title
            blocks = update.blocks if event.body is None else tuple(event.body)
            page.show(replace(update, title=title, blocks=blocks, revised_at=event.timestamp))

    def label(self, event: Any) -> str:
        return f"Update {event.number} revised"

    def summary(self, event: Any) -> str:
        if event.title is None:  # the title was kept: only the body changed
            return self.label(event)
        return f"Update {event.number} revised: {event.title!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        if before.update is None or after.update is None:
            return Told(self.label(event), None, None)
        return Told(self.label(event), _words(before.update), _words(after.update))


def _words(update: Update) -> Values:
    return {"title": update.title, "blocks": update.blocks}


class UpdateRevised(StoryEvent):
    """Version 3: `title` None keeps the title, `body` None keeps the body (version 1 gave
    both, version 2 always the title)."""

    class_version = 3
    number: int
    title: str | None
    body: tuple[Block, ...] | None
    reason: str
    protected: ClassVar[tuple[str, ...]] = ("title", "body")
    meaning = _Revised()

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Every version 1 revision carried the whole body, which version 2 still reads."""

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """Every version 2 revision carried the whole title, which version 3 still reads."""


class _QuoteCorrected(Meaning):
    """`text` None keeps the words, `attribution` None keeps who said it and "" removes it
    (`Story.QuoteCorrected.corrected`)."""

    reader_change = "quote-corrected"
    names_on_page = True  # the correction's editor
    reason_field = "note"

    def apply(self, page: PageState, event: Any) -> None:
        update = page.update(event.number)
        if update is not None:
            # Without its key the correction's words are gone, and so are the update's.
            corrected = update if erased_fields(event) else update.with_quote(event.quote, event.corrected)
            correction = Correction(event.timestamp, event.quote, event.note, event.editor)
            page.show(replace(corrected, corrections=(*update.corrections, correction)))

    def label(self, event: Any) -> str:
        return f"Quote {event.quote} corrected in update {event.number}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        old = None if before.update is None else before.update.quote(event.quote)
        new = None if after.update is None else after.update.quote(event.quote)
        if old is None or new is None:
            recorded = {"quote": event.quote, "text": event.text, "attribution": event.attribution or None}
            return Told(self.label(event), None, recorded)
        return Told(
            self.label(event),
            {"quote": event.quote, "text": old.text, "attribution": old.attribution},
            {"quote": event.quote, "text": new.text, "attribution": new.attribution},
        )


class QuoteCorrected(StoryEvent):
    """Version 2: `text` None keeps the quote's words; `attribution` None keeps who said it
    and "" removes the attribution (version 1 always gave both, None meaning no attribution).
    """

    class_version = 2
    number: int
    quote: int
    text: str | None
    attribution: str | None
    note: str
    protected: ClassVar[tuple[str, ...]] = ("text", "attribution")
    meaning = _QuoteCorrected()

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        if state["attribution"] is None:
            state["attribution"] = ""

    def corrected(self, old: Quote) -> Quote:
        """The quote as this correction leaves it."""
        text = old.text if self.text is None else self.text
        attribution = old.attribution if self.attribution is None else self.attribution or None
        return Quote(text, attribution)


class _Retracted(Meaning):
    reader_change = "retracted"
    reason_field = "reason"

    def apply(self, page: PageState, event: Any) -> None:
        page.hide(event.number)

    def label(self, event: Any) -> str:
        return f"Update {event.number} retracted"


class UpdateRetracted(StoryEvent):
    number: int
    reason: str
    meaning = _Retracted()

    def apply(self, story: StoryState) -> None:
        story.retracted.append(self.number)


class _Pinned(Meaning):
    def __init__(self, pinned: bool) -> None:
        self.pinned = pinned
        self.reader_change = "pinned" if pinned else "unpinned"

    def apply(self, page: PageState, event: Any) -> None:
        page.header = replace(page.header, pinned=event.number if self.pinned else None)

    def label(self, event: Any) -> str:
        return f"Update {event.number} {'pinned' if self.pinned else 'unpinned'}"


class UpdatePinned(StoryEvent):
    number: int
    meaning = _Pinned(True)

    def apply(self, story: StoryState) -> None:
        story.pinned = self.number


class UpdateUnpinned(StoryEvent):
    number: int
    meaning = _Pinned(False)

    def apply(self, story: StoryState) -> None:
        story.pinned = None


class _KeyEvent(Meaning):
    reader_change = "key-event"

    def __init__(self, key_event: bool) -> None:
        self.key_event = key_event

    def apply(self, page: PageState, event: Any) -> None:
        update = page.update(event.number)
        if update is not None:
            page.show(replace(update, key_event=self.key_event))

    def label(self, event: Any) -> str:
        if self.key_event:
            return f"Update {event.number} marked as a key event"
        return f"Update {event.number} no longer a key event"


class KeyEventMarked(StoryEvent):
    number: int
    meaning = _KeyEvent(True)

    def apply(self, story: StoryState) -> None:
        story.key_events.append(self.number)


class KeyEventUnmarked(StoryEvent):
    number: int
    meaning = _KeyEvent(False)

    def apply(self, story: StoryState) -> None:
        story.key_events.remove(self.number)


class UpdateCommands(StoryState):
    """The story's commands on its updates (part of `Story`)."""

    def post_update(
        self,
        title: str,
        body: tuple[Block, ...],
        *,
        byline: str | None = None,
        key_event: bool = False,
        pin: bool = False,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> UpdateDigests:
        """Posts the next numbered update; returns its digests, to be saved with the story."""
        title, byline, body = self._new_words("posting", title, byline, body)
        number = self.update_count + 1
        self._record(
            UpdatePosted, editor, at, role,
            number=number, title=title, byline=byline, body=body, key_event=key_event,
        )  # fmt: skip
        if pin:
            self.pin_update(number, editor=editor, at=at, role=role)
        return UpdateDigests.posted(self.id, number, title, body, at)

    def revise_update(
        self,
        update: UpdateDigests,
        *,
        title: str | None = None,
        body: tuple[Block, ...] | None = None,
        reason: str,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> None:
        """Revises an update's title, body or both, recording only what changes; `update` is that
        update's digests, which record the change too."""
        number = self._changeable(update)
        if title is not None:
            title = rules.valid_line("title", title, rules.TITLE_MAX)
            title = None if update.has_title(title) else title
        if body is not None:
            body = valid_body(body)
            body = None if update.has_body(body) else body
        reason = rules.valid_text("reason", reason, rules.REASON_MAX)
        if title is None and body is None:
            raise NothingToRevise(self.slug, number)
        self._record(UpdateRevised, editor, at, role, number=number, title=title, body=body, reason=reason)
        update.revised(title, body, at=at)

    def correct_quote(
        self,
        update: UpdateDigests,
        quote: int,
        *,
        text: str | None = None,
        attribution: str | None = None,
        note: str,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> None:
        """Corrects the words or the attribution of one quote (1-based) of an update.

        The event records only what changes; an attribution given as "" (or blank) removes it.
        `update` is that update's digests, which record the change too.
        """
        number = self._changeable(update)
        if not 1 <= quote <= len(update.quotes):
            raise QuoteNotFound(self.slug, number, quote, len(update.quotes))
        if text is None and attribution is None:
            raise NothingToCorrect(self.slug, number, quote)
        old = update.quotes[quote - 1]
        if text is not None:
            text = rules.valid_text("quote text", text, rules.BODY_MAX)
            text = None if old.has_text(text) else text
        if attribution is not None:
            attribution = rules.optional_line("attribution", attribution, rules.BYLINE_MAX) or ""
            attribution = None if old.has_attribution(attribution) else attribution
        note = rules.valid_text("correction note", note, rules.REASON_MAX)
        if text is None and attribution is None:
            raise NothingToChange(f"quote {quote} of update {number} already reads that way")
        self._record(
            QuoteCorrected, editor, at, role,
            number=number, quote=quote, text=text, attribution=attribution, note=note,
        )  # fmt: skip
        update.quote_corrected(quote, text, attribution, at=at)

    def retract_update(
        self, number: int, *, reason: str, editor: str, at: datetime, role: str | None = None
    ) -> None:
        self._not_retracted(number)
        reason = rules.valid_text("reason", reason, rules.REASON_MAX)
        if self.pinned == number:
            self.unpin_update(number, editor=editor, at=at, role=role)
        self._record(UpdateRetracted, editor, at, role, number=number, reason=reason)

    def pin_update(self, number: int, *, editor: str, at: datetime, role: str | None = None) -> None:
        self._not_retracted(number)
        if self.status == CLOSED:
            raise WrongStatus(self.slug, self.status, "reopen it before pinning updates")
        if self.pinned == number:
            raise NothingToChange(f"update {number} of {self.slug!r} is already pinned")
        if self.pinned is not None:
            self.unpin_update(self.pinned, editor=editor, at=at, role=role)
        self._record(UpdatePinned, editor, at, role, number=number)

    def unpin_update(self, number: int, *, editor: str, at: datetime, role: str | None = None) -> None:
        self.require_update(number)
        if self.pinned != number:
            raise NothingToChange(f"update {number} of {self.slug!r} is not pinned")
        self._record(UpdateUnpinned, editor, at, role, number=number)

    def mark_key_event(
        self, number: int, *, key_event: bool = True, editor: str, at: datetime, role: str | None = None
    ) -> None:
        self._not_retracted(number)
        if (number in self.key_events) == key_event:
            state = "already" if key_event else "not"
            raise NothingToChange(f"update {number} of {self.slug!r} is {state} a key event")
        event_class = KeyEventMarked if key_event else KeyEventUnmarked
        self._record(event_class, editor, at, role, number=number)
