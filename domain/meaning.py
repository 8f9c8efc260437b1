"""What a story event means: the `Meaning` every event declares beside itself, and the page it
changes (`PageState`).

The page fold (`domain/page_fold.py`), the live-page and history read models, the log, `editors`
and the audit's replay ask `meaning_of(event)` (`domain/meanings.py`); none of them works it out
again, so a label reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from domain.page import Header, Update

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
class Stale:
    """What an event makes stale in a cache of what readers were shown: every answer of the story,
    past versions included (`story`: its words are gone from all of them), what shows the story
    as it is now (`head`: its page, its feed, the story list), and the answers holding the update
    it names as it is now (`update`)."""

    story: bool = False
    head: bool = False
    update: int | None = None


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

    reason_field: str | None = None
    """The event's field that says why it was done, as the editor said ("reason", or a
    correction's or takedown's "note"), if it records one."""

    def stale(self, update: int | None) -> Stale:
        """What a cache must drop once the event is recorded, given the update it names: a
        takedown, the whole story; any other event, the story as it is now (every event moves
        the version the head shows), and the update if readers see it change."""
        if self.takes_words_down:
            return Stale(story=True, head=True, update=update)
        return Stale(head=True, update=update if self.reader_change is not None else None)

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
        """Why it was done, as the editor said, if the event records it."""
        return None if self.reason_field is None else str(getattr(event, self.reason_field))

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, None)


class BehindThePage(Meaning):
    """An event readers never see: the page is left as it was (`reader_change` None)."""

    def apply(self, page: PageState, event: Any) -> None:
        return None


def words_of(event: Any) -> Values:
    """The words an event holds (a submission's or a scheduled post's), as the history tells them."""
    return {"title": event.title, "byline": event.byline, "blocks": tuple(event.body)}
