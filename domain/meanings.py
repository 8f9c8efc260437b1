"""What each story event means, said once: how it changes the page, its label, its reason, and
what it changed from and to.

The page fold (`domain/page_fold.py`), the live-page and history read models, the log, `editors`
and the audit's replay all ask `meaning_of(event)`; none of them works it out again, so a label
reads the same everywhere. A new story event needs one `Meaning` here (the import-time check at
the end refuses a story event without one).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from domain.chain import erased_fields
from domain.page import Correction, Header, Update
from domain.story import CLOSED, DRAFT, LIVE, Story

Values = dict[str, Any]
"""Named values of a page before or after an event (blocks as `Block`s, times as datetimes)."""


class PageState(Protocol):
    """A page being changed event by event: the whole page (the fold) or the part of it that a
    read model's batch loaded. An event replaces the header, or shows or hides one update."""

    header: Header

    def update(self, number: int) -> Update | None:
        """Update `number` as shown now, or None (not posted, or retracted)."""

    def show(self, update: Update) -> None:
        """Shows `update` from this event on, in place of what was shown under its number."""

    def hide(self, number: int) -> None:
        """Update `number` is no longer shown from this event on."""

    def erase(self, number: int) -> None:
        """Every earlier version of update `number` reads as erased (`Update.erased`): its key is
        gone, so read back its events give no words. The fold, which reads them so, has nothing
        to do; a read model rewrites the rows it made from the words."""


@dataclass(frozen=True)
class Seen:
    """What the page showed of an event's concerns: the header, and the update it names."""

    header: Header
    update: Update | None


@dataclass(frozen=True)
class Told:
    """An event as the history tells it: its label, and the values it changed from and to."""

    label: str
    before: Values | None
    after: Values | None


class Meaning:
    """What one kind of story event means. The defaults suit an event that names an update and
    changes nothing a history would show from and to."""

    reader_change: str | None = None
    """What a reader with the page open sees change (the readers' web's change kinds: "posted",
    "revised", "retracted", "headline"...); None: nothing on a page already open."""

    takes_words_down: bool = False
    """Whether the event destroys the key of words readers may have been shown or a process may
    hold (a takedown): whatever follows the store drops all it holds of the story."""

    names_on_page: bool = False
    """Whether `apply` puts a person's name (an event's `personal` field) on the page: read
    models open the names of such events only (`chain.read_for_read_models`)."""

    def apply(self, page: PageState, event: Any) -> None:
        """Changes the page as the event says."""
        raise NotImplementedError

    def label(self, event: Any) -> str:
        """A short human label: "Update 3 revised"."""
        raise NotImplementedError

    def summary(self, event: Any) -> str:
        """The label with what the event alone says beside it, as the log shows it."""
        return self.label(event)

    def reason(self, event: Any) -> str | None:
        """Why it was done, as the editor said (a correction's note), if the event records it."""
        return None

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, None)


class _Opened(Meaning):
    def apply(self, page: PageState, event: Any) -> None:
        page.header = Header(event.slug, event.headline, event.standfirst, DRAFT, None)

    def label(self, event: Any) -> str:
        return "Story opened"

    def summary(self, event: Any) -> str:
        return f"Story opened as a draft: {event.headline!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"headline": event.headline, "standfirst": event.standfirst})


class _HeadlineChanged(Meaning):
    reader_change = "headline"

    def apply(self, page: PageState, event: Any) -> None:
        page.header = replace(page.header, headline=event.headline)

    def label(self, event: Any) -> str:
        return "Headline changed"

    def summary(self, event: Any) -> str:
        return f"Headline changed to {event.headline!r}"

    def reason(self, event: Any) -> str | None:
        return str(event.reason)

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), {"headline": before.header.headline}, {"headline": event.headline})


class _StandfirstChanged(Meaning):
    reader_change = "standfirst"

    def apply(self, page: PageState, event: Any) -> None:
        page.header = replace(page.header, standfirst=event.standfirst)

    def label(self, event: Any) -> str:
        return "Standfirst removed" if event.standfirst is None else "Standfirst changed"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        old = before.header.standfirst
        label = "Standfirst added" if old is None and event.standfirst is not None else self.label(event)
        return Told(label, {"standfirst": old}, {"standfirst": event.standfirst})


class _TimeZoneChanged(Meaning):
    """Changes how readers are shown times, not what the page holds; still a version of its own."""

    def apply(self, page: PageState, event: Any) -> None:
        """Nothing on the page changes: the zone is how the readers' web shows its times (it reads
        the zone from the history)."""

    def label(self, event: Any) -> str:
        return f"Time zone set to {event.time_zone}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"time_zone": event.time_zone})


class _StatusChanged(Meaning):
    def __init__(self, status: str, label: str, reader_change: str | None) -> None:
        self.status, self.words, self.reader_change = status, label, reader_change

    def apply(self, page: PageState, event: Any) -> None:
        page.header = replace(page.header, status=self.status)

    def label(self, event: Any) -> str:
        return self.words

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.words, {"status": before.header.status}, {"status": self.status})


class _UpdatePosted(Meaning):
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
        return f"Update {event.number} posted{key}{_on_schedule(event)}: {event.title!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        posted = {"title": event.title, "byline": event.byline, "key_event": event.key_event}
        return Told(self.label(event), None, {**posted, "blocks": tuple(event.body)})


def _on_schedule(event: Any) -> str:
    """ " as scheduled for TIME[, late]", for a publication the publisher recorded."""
    if event.scheduled_for is None:
        return ""
    return f" as scheduled for {event.scheduled_for.isoformat()}{', late' if event.late else ''}"


class _Published(_StatusChanged):
    def __init__(self) -> None:
        super().__init__(LIVE, "Story published", None)

    def summary(self, event: Any) -> str:
        return f"{self.words}{_on_schedule(event)}"


class _UpdateRevised(Meaning):
    """`title` or `body` None keeps that part (`Story.UpdateRevised`, version 3)."""

    reader_change = "revised"

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

    def reason(self, event: Any) -> str | None:
        return str(event.reason)

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        if before.update is None or after.update is None:
            return Told(self.label(event), None, None)
        return Told(self.label(event), _words(before.update), _words(after.update))


def _words(update: Update) -> Values:
    return {"title": update.title, "blocks": update.blocks}


class _QuoteCorrected(Meaning):
    """`text` None keeps the words, `attribution` None keeps who said it and "" removes it
    (`Story.QuoteCorrected.corrected`)."""

    reader_change = "quote-corrected"
    names_on_page = True  # the correction's editor

    def apply(self, page: PageState, event: Any) -> None:
        update = page.update(event.number)
        if update is not None:
            # Without its key the correction's words are gone, and so are the update's.
            corrected = update if erased_fields(event) else update.with_quote(event.quote, event.corrected)
            correction = Correction(event.timestamp, event.quote, event.note, event.editor)
            page.show(replace(corrected, corrections=(*update.corrections, correction)))

    def label(self, event: Any) -> str:
        return f"Quote {event.quote} corrected in update {event.number}"

    def reason(self, event: Any) -> str | None:
        return str(event.note)

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


class _UpdateRetracted(Meaning):
    reader_change = "retracted"

    def apply(self, page: PageState, event: Any) -> None:
        page.hide(event.number)

    def label(self, event: Any) -> str:
        return f"Update {event.number} retracted"

    def reason(self, event: Any) -> str | None:
        return str(event.reason)


class _UpdateTakenDown(Meaning):
    """The update's words are gone from every version: the page shows the public note in its
    place from this version on (earlier versions, which cannot know the note, show it without)."""

    reader_change = "revised"
    takes_words_down = True

    def apply(self, page: PageState, event: Any) -> None:
        page.erase(event.number)
        update = page.update(event.number)
        if update is not None:
            page.show(update.erased(event.note))

    def label(self, event: Any) -> str:
        return f"Update {event.number} taken down"

    def summary(self, event: Any) -> str:
        return f"Update {event.number} taken down under order {event.order!r}"

    def reason(self, event: Any) -> str | None:
        return str(event.note)

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return _taken_down(self.label(event), event)


class _Pinned(Meaning):
    def __init__(self, pinned: bool) -> None:
        self.pinned = pinned
        self.reader_change = "pinned" if pinned else "unpinned"

    def apply(self, page: PageState, event: Any) -> None:
        page.header = replace(page.header, pinned=event.number if self.pinned else None)

    def label(self, event: Any) -> str:
        return f"Update {event.number} {'pinned' if self.pinned else 'unpinned'}"


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


class _BehindThePage(Meaning):
    """An event readers never see: the page is left as it was (`reader_change` None)."""

    def apply(self, page: PageState, event: Any) -> None:
        return None


class _UpdateSubmitted(_BehindThePage):
    def label(self, event: Any) -> str:
        return f"Submission {event.submission} submitted"

    def summary(self, event: Any) -> str:
        return f"Submission {event.submission} submitted for approval: {event.title!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, _submitted(event))


def _submitted(event: Any) -> Values:
    return {"title": event.title, "byline": event.byline, "blocks": tuple(event.body)}


class _SubmissionRevised(_BehindThePage):
    def label(self, event: Any) -> str:
        return f"Submission {event.submission} revised"

    def summary(self, event: Any) -> str:
        return f"Submission {event.submission} revised: {event.title!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, _submitted(event))


class _SubmissionWithdrawn(_BehindThePage):
    def label(self, event: Any) -> str:
        return f"Submission {event.submission} withdrawn"


class _SubmissionRejected(_BehindThePage):
    def label(self, event: Any) -> str:
        return f"Submission {event.submission} rejected"

    def reason(self, event: Any) -> str | None:
        return str(event.reason)


class _SubmissionApproved(_UpdatePosted):
    """Readers see it as a post: the update appears."""

    def label(self, event: Any) -> str:
        return f"Submission {event.submission} approved as update {event.number}"

    def summary(self, event: Any) -> str:
        key = " as a key event" if event.key_event else ""
        return (
            f"Submission {event.submission} by {event.submitted_by} approved as update "
            f"{event.number}{key}: {event.title!r}"
        )

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        told = super().told(event, before, after)
        return Told(self.label(event), None, {**(told.after or {}), "submitted_by": event.submitted_by})


class _EarlierWordsTakenDown(_BehindThePage):
    """A submission's or scheduled post's words taken down: behind the page, as they always were."""

    takes_words_down = True

    def __init__(self, what: str, field: str) -> None:
        self.what, self.field = what, field

    def label(self, event: Any) -> str:
        return f"{self.what} {getattr(event, self.field)} taken down"

    def summary(self, event: Any) -> str:
        return f"{self.label(event)} under order {event.order!r}"

    def reason(self, event: Any) -> str | None:
        return str(event.note)

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return _taken_down(self.label(event), event)


def _taken_down(label: str, event: Any) -> Told:
    """A takedown as the history tells it: the order it was done under (the note is its reason),
    so one story's history says what legal order removed which words, as the log does."""
    return Told(label, None, {"order": event.order})


class _UpdateScheduled(_BehindThePage):
    def label(self, event: Any) -> str:
        return f"Post {event.scheduled} scheduled"

    def summary(self, event: Any) -> str:
        return f"Post {event.scheduled} scheduled for {event.publish_at.isoformat()}: {event.title!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        scheduled = {**_submitted(event), "key_event": event.key_event, "publish_at": event.publish_at}
        return Told(self.label(event), None, scheduled)


class _UpdateRescheduled(_BehindThePage):
    def label(self, event: Any) -> str:
        if event.publish_at is None:
            return f"Scheduled post {event.scheduled} unscheduled"
        return f"Scheduled post {event.scheduled} moved"

    def summary(self, event: Any) -> str:
        if event.publish_at is None:
            return self.label(event)
        return f"{self.label(event)} to {event.publish_at.isoformat()}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"publish_at": event.publish_at})


class _PublicationScheduled(_BehindThePage):
    def label(self, event: Any) -> str:
        return "Publication unscheduled" if event.publish_at is None else "Publication scheduled"

    def summary(self, event: Any) -> str:
        if event.publish_at is None:
            return self.label(event)
        return f"Publication scheduled for {event.publish_at.isoformat()}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, {"publish_at": event.publish_at})


MEANINGS: dict[type, Meaning] = {
    Story.Opened: _Opened(),
    Story.HeadlineChanged: _HeadlineChanged(),
    Story.StandfirstChanged: _StandfirstChanged(),
    Story.TimeZoneChanged: _TimeZoneChanged(),
    Story.Published: _Published(),
    Story.Closed: _StatusChanged(CLOSED, "Story closed", "closed"),
    Story.Reopened: _StatusChanged(LIVE, "Story reopened", "reopened"),
    Story.UpdatePosted: _UpdatePosted(),
    Story.UpdateRevised: _UpdateRevised(),
    Story.QuoteCorrected: _QuoteCorrected(),
    Story.UpdateRetracted: _UpdateRetracted(),
    Story.UpdateTakenDown: _UpdateTakenDown(),
    Story.UpdatePinned: _Pinned(True),
    Story.UpdateUnpinned: _Pinned(False),
    Story.KeyEventMarked: _KeyEvent(True),
    Story.KeyEventUnmarked: _KeyEvent(False),
    Story.UpdateSubmitted: _UpdateSubmitted(),
    Story.SubmissionRevised: _SubmissionRevised(),
    Story.SubmissionWithdrawn: _SubmissionWithdrawn(),
    Story.SubmissionRejected: _SubmissionRejected(),
    Story.SubmissionApproved: _SubmissionApproved(),
    Story.UpdateScheduled: _UpdateScheduled(),
    Story.UpdateRescheduled: _UpdateRescheduled(),
    Story.PublicationScheduled: _PublicationScheduled(),
    Story.SubmissionTakenDown: _EarlierWordsTakenDown("Submission", "submission"),
    Story.ScheduledPostTakenDown: _EarlierWordsTakenDown("Scheduled post", "scheduled"),
}
_missing = [cls.__name__ for cls in Story.EVENT_CLASSES if cls not in MEANINGS]
if _missing:
    raise TypeError(f"say what these story events mean in domain/meanings.py: {', '.join(_missing)}")


MEANINGS_BY_NAME: dict[str, Meaning] = {cls.__name__: meaning for cls, meaning in MEANINGS.items()}
"""The same, by event type name (as the history and the log name them)."""


NAMES_ON_PAGE: frozenset[type] = frozenset(cls for cls, meaning in MEANINGS.items() if meaning.names_on_page)
"""The story events whose meaning puts a person's name on the page."""


TAKING_WORDS_DOWN: frozenset[type] = frozenset(
    cls for cls, meaning in MEANINGS.items() if meaning.takes_words_down
)
"""The story events whose meaning destroys words' keys (the takedowns)."""


def meaning_of(event: Any) -> Meaning:
    """What `event`, a story event, means."""
    return MEANINGS[type(event)]
