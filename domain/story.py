"""The Story aggregate: a live blog's headline, status and numbered updates, and its events."""

from __future__ import annotations

from dataclasses import field
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain import rules
from domain.blocks import Block, Quote, quotes_in
from domain.chain import GENESIS_HASH, SALTS_FIELD, event_content, hash_content, is_sealed, new_salts
from domain.earlier_words import SCHEDULED_WORDS, SUBMITTED_WORDS, EarlierWords, check_takedown
from domain.errors import (
    InvalidInput,
    NothingToChange,
    NothingToCorrect,
    NothingToRevise,
    NotSubmitter,
    QuoteNotFound,
    ScheduledPostNotFound,
    ScheduledPostNotPending,
    SubmissionNotFound,
    SubmissionNotPending,
    UpdateAlreadyTakenDown,
    UpdateNotFound,
    UpdateNotSealed,
    UpdateRetracted,
    WrongStatus,
)
from domain.schedule import SCHEDULER, ScheduledPost, is_late, valid_publish_at
from domain.story_ids import story_id_for
from domain.submission import Submission
from domain.update_digests import UpdateDigests

DRAFT, LIVE, CLOSED = "draft", "live", "closed"
DEFAULT_TIME_ZONE = "UTC"
"""Where a story shows its times until an editor names its own zone."""


class Story(Aggregate):
    """A live blog. Public methods check the rules, then record one or more events.

    The state is what the rules decide on and stays small however long the story grows: the
    number of updates, which are retracted, which are key events, the pinned one. What a revision
    or a quote correction is compared with (digests of an update's words) lives in one
    `UpdateDigests` aggregate per update, loaded only by the command that concerns it.
    `PageFold` (domain/page_fold.py) folds the whole page from the same events.
    """

    class_version = 4
    """Of the snapshots' state: version 1 held whole updates (bodies, bylines, corrections),
    version 2 a row of facts per update (titles and quotes in words), version 3 only counts and
    numbers (the words' digests moved to `UpdateDigests`); version 4 adds the time zone, the
    submissions' count and the pending ones (number, submitter, and the versions of their first and
    latest words)."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["updates"] = [
            [u.number, u.title, None, [[q.text, q.attribution] for _, q in quotes_in(u.body)],
             u.key_event, u.retracted]
            for u in state["updates"]
        ]  # fmt: skip

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """The rows' words are dropped: an update with no `UpdateDigests` yet is given one, made
        from its folded words, by the first command that needs it (`Newsroom`)."""
        rows = state.pop("updates")
        state["update_count"] = len(rows)
        state["retracted"] = [number for number, *_, retracted in rows if retracted]
        state["key_events"] = [number for number, *_, key_event, _ in rows if key_event]

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        """Stories before time zones were shown in UTC, and had no submissions."""
        state["time_zone"] = DEFAULT_TIME_ZONE
        state["submission_count"] = 0
        state["pending"] = []

    class Event(Aggregate.Event):
        """Every story event names its editor and is chained to the story's previous event.

        `role` is the role the editor made it under, once the store has an admin (`domain/roles.py`).
        With none it is not stored at all: an event made with no roster in force is stored, and
        hashed, exactly as before roles existed, and an event stored before then reads as None.
        """

        editor: str
        previous_hash: str
        hash: str = field(init=False)
        role: str | None = field(default=None, kw_only=True)
        protected: ClassVar[tuple[str, ...]] = ()
        """Fields whose values are sealed under their update's key when sealing is on
        (`domain.chain.sealing`): the hash covers their salted commitments."""
        unset_unstored: ClassVar[tuple[str, ...]] = ()
        """Keyword fields added later, stored only when set (not None or False), like `role`: an
        event without them is stored and hashed as before they existed, and reads the default."""
        personal: ClassVar[tuple[str, ...]] = ("editor",)
        """Fields holding a person's name, sealed under that person's key when sealing is on (the
        person is the unit of an erasure): the hash covers their salted commitments too."""

        def __post_init__(self) -> None:
            super().__post_init__()
            for name in ("role", *self.unset_unstored):
                if getattr(self, name) in (None, False):
                    object.__delattr__(self, name)  # the class's default answers for it
            # Runs when the event is created, not when it is read back from the store.
            salts = new_salts(self.protected + self.personal)
            if salts is not None:
                object.__setattr__(self, SALTS_FIELD, salts)
            object.__setattr__(self, "hash", hash_content(self.chained_content()))

        def chained_content(self) -> dict[str, Any]:
            state = dict(vars(self))
            del state["originator_id"], state["originator_version"]
            class_version = getattr(type(self), "class_version", 1)
            if class_version > 1:
                # The store writes it beside the fields, so the hash covers it too.
                state["class_version"] = class_version
            return event_content(get_topic(type(self)), self.originator_id, self.originator_version, state)

        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            aggregate.head_hash = self.hash
            return aggregate

    # Creating and publishing.

    class Opened(Event, Aggregate.Created):
        slug: str
        headline: str
        standfirst: str | None

    def __init__(self, slug: str, headline: str, standfirst: str | None) -> None:
        self.slug = slug
        self.headline = headline
        self.standfirst = standfirst
        self.status = DRAFT
        self.update_count = 0
        self.retracted: list[int] = []
        self.key_events: list[int] = []
        self.pinned: int | None = None
        self.time_zone = DEFAULT_TIME_ZONE
        self.head_hash = GENESIS_HASH
        self.submission_count = 0
        self.pending: list[list[Any]] = []
        """[number, submitter, first version, latest version] of each pending submission."""

    sealed_updates: list[int] | tuple[int, ...] = ()
    """Updates posted sealed, which a takedown can shred (a class default: older snapshots lack it)."""
    taken_down: list[int] | tuple[int, ...] = ()
    """Updates taken down: frozen, their words shredded (a class default, as above)."""
    word_sources: list[list[Any]] | tuple[list[Any], ...] = ()
    """[update, "submission" or "scheduled", its number] of each sealed update posted from a
    submission or a scheduled post, whose earlier words a takedown shreds too (a class default)."""
    earlier_taken_down: list[list[Any]] | tuple[list[Any], ...] = ()
    """["submission" or "scheduled", its number] of each submission or scheduled post whose words
    were taken down on their own (`take_down_earlier_words`; a class default, as above)."""
    scheduled_count: int = 0
    """Posts ever scheduled (numbered apart from updates); class defaults, as above."""
    scheduled: list[list[Any]] | tuple[list[Any], ...] = ()
    """[number, publish_at, version of its words] of each post waiting for its time."""
    publish_at: datetime | None = None
    """When a draft is to be published by the publisher, if it is scheduled."""

    @staticmethod
    def id_for(slug: str) -> UUID:
        """Stories are found by slug: the id is derived from it, so a slug can be used once."""
        return story_id_for(slug)

    @classmethod
    def open(
        cls,
        slug: str,
        headline: str,
        standfirst: str | None,
        *,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> Story:
        rules.valid_slug(slug)
        return cls._create(
            cls.Opened,
            id=cls.id_for(slug),
            slug=slug,
            headline=rules.valid_line("headline", headline, rules.HEADLINE_MAX),
            standfirst=_standfirst(standfirst),
            editor=rules.valid_editor(editor),
            previous_hash=GENESIS_HASH,
            timestamp=at,
            role=role,
        )

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        super().trigger_event(event_class, previous_hash=self.head_hash, **kwargs)

    def _record(
        self, event_class: type[Event], editor: str, at: datetime, role: str | None = None, **fields: Any
    ) -> None:
        self.trigger_event(event_class, editor=rules.valid_editor(editor), timestamp=at, role=role, **fields)

    class HeadlineChanged(Event):
        headline: str
        reason: str

        def apply(self, story: Story) -> None:
            story.headline = self.headline

    def change_headline(
        self, headline: str, *, reason: str, editor: str, at: datetime, role: str | None = None
    ) -> None:
        headline = rules.valid_line("headline", headline, rules.HEADLINE_MAX)
        reason = rules.valid_text("reason", reason, rules.REASON_MAX)
        if headline == self.headline:
            raise NothingToChange(f"the headline of {self.slug!r} is already {headline!r}")
        self._record(self.HeadlineChanged, editor, at, role, headline=headline, reason=reason)

    class StandfirstChanged(Event):
        standfirst: str | None

        def apply(self, story: Story) -> None:
            story.standfirst = self.standfirst

    def change_standfirst(
        self, standfirst: str | None, *, editor: str, at: datetime, role: str | None = None
    ) -> None:
        standfirst = _standfirst(standfirst)
        if standfirst == self.standfirst:
            raise NothingToChange(f"the standfirst of {self.slug!r} is already that text")
        self._record(self.StandfirstChanged, editor, at, role, standfirst=standfirst)

    class TimeZoneChanged(Event):
        time_zone: str

        def apply(self, story: Story) -> None:
            story.time_zone = self.time_zone

    def change_time_zone(self, time_zone: str, *, editor: str, at: datetime, role: str | None = None) -> None:
        """Readers see the story's times in this zone (JSON and feeds stay in UTC)."""
        time_zone = rules.valid_time_zone(time_zone)
        if time_zone == self.time_zone:
            raise NothingToChange(f"the time zone of {self.slug!r} is already {time_zone}")
        self._record(self.TimeZoneChanged, editor, at, role, time_zone=time_zone)

    class Published(Event):
        """`scheduled_for`: recorded by the publisher for a publication scheduled for that time,
        `late` when well after it (neither is stored for an editor's own publication)."""

        scheduled_for: datetime | None = field(default=None, kw_only=True)
        late: bool = field(default=False, kw_only=True)
        unset_unstored: ClassVar[tuple[str, ...]] = ("scheduled_for", "late")

        def apply(self, story: Story) -> None:
            story.status = LIVE
            story.publish_at = None

    def publish(self, *, editor: str, at: datetime, role: str | None = None) -> None:
        if self.status != DRAFT:
            raise WrongStatus(self.slug, self.status, "only a draft can be published")
        self._record(self.Published, editor, at, role)

    class Closed(Event):
        def apply(self, story: Story) -> None:
            story.status = CLOSED

    def close(self, *, editor: str, at: datetime, role: str | None = None) -> None:
        if self.status != LIVE:
            raise WrongStatus(self.slug, self.status, "only a live story can be closed")
        self._record(self.Closed, editor, at, role)

    class Reopened(Event):
        def apply(self, story: Story) -> None:
            story.status = LIVE

    def reopen(self, *, editor: str, at: datetime, role: str | None = None) -> None:
        if self.status != CLOSED:
            raise WrongStatus(self.slug, self.status, "only a closed story can be reopened")
        self._record(self.Reopened, editor, at, role)

    # Updates.

    class UpdatePosted(Event):
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

        def apply(self, story: Story) -> None:
            if self.scheduled is not None:
                story.scheduled = [e for e in story.scheduled if e[0] != self.scheduled]
            story._posted(self, None if self.scheduled is None else (SCHEDULED_WORDS, self.scheduled))

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
            self.UpdatePosted, editor, at, role,
            number=number, title=title, byline=byline, body=body, key_event=key_event,
        )  # fmt: skip
        if pin:
            self.pin_update(number, editor=editor, at=at, role=role)
        return UpdateDigests.posted(self.id, number, title, body, at)

    class UpdateRevised(Event):
        """Version 3: `title` None keeps the title, `body` None keeps the body (version 1 gave
        both, version 2 always the title)."""

        class_version = 3
        number: int
        title: str | None
        body: tuple[Block, ...] | None
        reason: str
        protected: ClassVar[tuple[str, ...]] = ("title", "body")

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Every version 1 revision carried the whole body, which version 2 still reads."""

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            """Every version 2 revision carried the whole title, which version 3 still reads."""

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
            body = _valid_body(body)
            body = None if update.has_body(body) else body
        reason = rules.valid_text("reason", reason, rules.REASON_MAX)
        if title is None and body is None:
            raise NothingToRevise(self.slug, number)
        self._record(
            self.UpdateRevised, editor, at, role, number=number, title=title, body=body, reason=reason
        )
        update.revised(title, body, at=at)

    class QuoteCorrected(Event):
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

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            if state["attribution"] is None:
                state["attribution"] = ""

        def corrected(self, old: Quote) -> Quote:
            """The quote as this correction leaves it."""
            text = old.text if self.text is None else self.text
            attribution = old.attribution if self.attribution is None else self.attribution or None
            return Quote(text, attribution)

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
            self.QuoteCorrected, editor, at, role,
            number=number, quote=quote, text=text, attribution=attribution, note=note,
        )  # fmt: skip
        update.quote_corrected(quote, text, attribution, at=at)

    class UpdateRetracted(Event):
        number: int
        reason: str

        def apply(self, story: Story) -> None:
            story.retracted.append(self.number)

    def retract_update(
        self, number: int, *, reason: str, editor: str, at: datetime, role: str | None = None
    ) -> None:
        self._not_retracted(number)
        reason = rules.valid_text("reason", reason, rules.REASON_MAX)
        if self.pinned == number:
            self.unpin_update(number, editor=editor, at=at, role=role)
        self._record(self.UpdateRetracted, editor, at, role, number=number, reason=reason)

    class UpdatePinned(Event):
        number: int

        def apply(self, story: Story) -> None:
            story.pinned = self.number

    def pin_update(self, number: int, *, editor: str, at: datetime, role: str | None = None) -> None:
        self._not_retracted(number)
        if self.status == CLOSED:
            raise WrongStatus(self.slug, self.status, "reopen it before pinning updates")
        if self.pinned == number:
            raise NothingToChange(f"update {number} of {self.slug!r} is already pinned")
        if self.pinned is not None:
            self.unpin_update(self.pinned, editor=editor, at=at, role=role)
        self._record(self.UpdatePinned, editor, at, role, number=number)

    class UpdateUnpinned(Event):
        number: int

        def apply(self, story: Story) -> None:
            story.pinned = None

    def unpin_update(self, number: int, *, editor: str, at: datetime, role: str | None = None) -> None:
        self.require_update(number)
        if self.pinned != number:
            raise NothingToChange(f"update {number} of {self.slug!r} is not pinned")
        self._record(self.UpdateUnpinned, editor, at, role, number=number)

    class KeyEventMarked(Event):
        number: int

        def apply(self, story: Story) -> None:
            story.key_events.append(self.number)

    class KeyEventUnmarked(Event):
        number: int

        def apply(self, story: Story) -> None:
            story.key_events.remove(self.number)

    def mark_key_event(
        self, number: int, *, key_event: bool = True, editor: str, at: datetime, role: str | None = None
    ) -> None:
        self._not_retracted(number)
        if (number in self.key_events) == key_event:
            state = "already" if key_event else "not"
            raise NothingToChange(f"update {number} of {self.slug!r} is {state} a key event")
        event_class = self.KeyEventMarked if key_event else self.KeyEventUnmarked
        self._record(event_class, editor, at, role, number=number)

    class UpdateTakenDown(Event):
        """An update taken down on legal grounds: the order it was taken down under and the public
        note readers see in its place; never its words, whose key is destroyed with it."""

        number: int
        order: str
        note: str

        def apply(self, story: Story) -> None:
            story.taken_down = [*story.taken_down, self.number]

    def take_down_update(
        self, number: int, *, order: str, note: str, editor: str, at: datetime, role: str | None = None
    ) -> None:
        """Takes an update down (retracted or not): the caller then destroys its key. Only an
        update posted sealed can be: the words of one stored before sealing stay in the store."""
        self.require_update(number)
        if number in self.taken_down:
            raise UpdateAlreadyTakenDown(self.slug, number)
        if number not in self.sealed_updates:
            raise UpdateNotSealed(self.slug, number)
        order = rules.valid_line("order", order, rules.REASON_MAX)
        note = rules.valid_text("note", note, rules.REASON_MAX)
        if self.pinned == number:
            self.unpin_update(number, editor=editor, at=at, role=role)
        self._record(self.UpdateTakenDown, editor, at, role, number=number, order=order, note=note)

    # Submissions: updates offered for approval. Nothing readers see changes until an editor
    # approves one, which posts it as the story's next update.

    class UpdateSubmitted(Event):
        """Sealed (a store with keys) under the submission's own key, not yet an update's."""

        submission: int
        title: str
        byline: str | None
        body: tuple[Block, ...]
        protected: ClassVar[tuple[str, ...]] = ("title", "byline", "body")

        def apply(self, story: Story) -> None:
            story.submission_count = self.submission
            version = self.originator_version
            story.pending.append([self.submission, self.editor, version, version])

    def submit_update(
        self,
        title: str,
        body: tuple[Block, ...],
        *,
        byline: str | None = None,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> int:
        """Records a submission with the story's next submission number, and returns it."""
        title, byline, body = self._new_words("submitting", title, byline, body)
        number = self.submission_count + 1
        self._record(
            self.UpdateSubmitted, editor, at, role, submission=number, title=title, byline=byline, body=body
        )
        return number

    class SubmissionRevised(Event):
        """The submission's words as they now stand, whole (title, byline and body)."""

        submission: int
        title: str
        byline: str | None
        body: tuple[Block, ...]
        protected: ClassVar[tuple[str, ...]] = ("title", "byline", "body")

        def apply(self, story: Story) -> None:
            story._pending_entry(self.submission)[3] = self.originator_version

    def revise_submission(
        self,
        submission: Submission,
        *,
        title: str | None = None,
        body: tuple[Block, ...] | None = None,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> None:
        """The submitter changes the title, the body or both of their pending submission;
        `submission` is how it stands now."""
        self._by_submitter(submission.number, editor)
        title = submission.title if title is None else rules.valid_line("title", title, rules.TITLE_MAX)
        body = submission.body if body is None else _valid_body(body)
        if title == submission.title and body == submission.body:
            raise NothingToChange(f"submission {submission.number} of {self.slug!r} already reads that way")
        self._record(
            self.SubmissionRevised, editor, at, role,
            submission=submission.number, title=title, byline=submission.byline, body=body,
        )  # fmt: skip

    class SubmissionWithdrawn(Event):
        submission: int

        def apply(self, story: Story) -> None:
            story.pending.remove(story._pending_entry(self.submission))

    def withdraw_submission(
        self, submission: int, *, editor: str, at: datetime, role: str | None = None
    ) -> None:
        """The submitter takes back their pending submission."""
        self._by_submitter(submission, editor)
        self._record(self.SubmissionWithdrawn, editor, at, role, submission=submission)

    class SubmissionRejected(Event):
        submission: int
        reason: str

        def apply(self, story: Story) -> None:
            story.pending.remove(story._pending_entry(self.submission))

    def reject_submission(
        self, submission: int, *, reason: str, editor: str, at: datetime, role: str | None = None
    ) -> None:
        self.require_pending(submission)
        reason = rules.valid_text("reason", reason, rules.REASON_MAX)
        self._record(self.SubmissionRejected, editor, at, role, submission=submission, reason=reason)

    class SubmissionApproved(Event):
        """The submission posted as update `number`: its words, who submitted it (the event's
        editor approved it)."""

        submission: int
        number: int
        title: str
        byline: str | None
        body: tuple[Block, ...]
        key_event: bool
        submitted_by: str
        personal: ClassVar[tuple[str, ...]] = ("editor", "submitted_by")
        protected: ClassVar[tuple[str, ...]] = ("title", "byline", "body")
        """Under the update's key, as a post's."""

        def apply(self, story: Story) -> None:
            story.pending.remove(story._pending_entry(self.submission))
            story._posted(self, (SUBMITTED_WORDS, self.submission))

    def approve_submission(
        self,
        submission: Submission,
        *,
        key_event: bool = False,
        pin: bool = False,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> UpdateDigests:
        """Posts the pending submission as the next update; returns its digests, to be saved
        with the story. `submission` is how it stands now."""
        self.require_pending(submission.number)
        if self.status == CLOSED:
            raise WrongStatus(self.slug, self.status, "reopen it before posting updates")
        number = self.update_count + 1
        self._record(
            self.SubmissionApproved, editor, at, role,
            submission=submission.number, number=number, title=submission.title, byline=submission.byline,
            body=submission.body, key_event=key_event, submitted_by=submission.submitted_by,
        )  # fmt: skip
        if pin:
            self.pin_update(number, editor=editor, at=at, role=role)
        return UpdateDigests.posted(self.id, number, submission.title, submission.body, at)

    def require_pending(self, submission: int) -> tuple[str, int, int]:
        """The pending submission's submitter and the versions of its first and latest words."""
        _, submitter, first, latest = self._pending_entry(submission)
        return submitter, first, latest

    def _pending_entry(self, submission: int) -> list[Any]:
        if not 1 <= submission <= self.submission_count:
            raise SubmissionNotFound(self.slug, submission, self.submission_count)
        for entry in self.pending:
            if entry[0] == submission:
                return entry
        raise SubmissionNotPending(self.slug, submission)

    def _by_submitter(self, submission: int, editor: str) -> None:
        submitter = self.require_pending(submission)[0]
        if rules.valid_editor(editor) != submitter:
            raise NotSubmitter(self.slug, submission, editor, submitter)

    # Scheduling: posts and publication recorded now for later. Nothing readers see changes
    # until the publisher records the publication itself (`domain/schedule.py`).

    class UpdateScheduled(Event):
        """Sealed (a store with keys) under the scheduled post's own key, not yet an update's."""

        scheduled: int
        title: str
        byline: str | None
        body: tuple[Block, ...]
        key_event: bool
        publish_at: datetime
        protected: ClassVar[tuple[str, ...]] = ("title", "byline", "body")

        def apply(self, story: Story) -> None:
            story.scheduled_count = self.scheduled
            story.scheduled = [*story.scheduled, [self.scheduled, self.publish_at, self.originator_version]]

    def schedule_update(
        self,
        title: str,
        body: tuple[Block, ...],
        *,
        publish_at: datetime,
        byline: str | None = None,
        key_event: bool = False,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> int:
        """Records a post to be published at `publish_at` (with its zone, still to come);
        returns its scheduled number."""
        title, byline, body = self._new_words("scheduling", title, byline, body)
        publish_at = valid_publish_at(publish_at, at)
        number = self.scheduled_count + 1
        self._record(
            self.UpdateScheduled, editor, at, role,
            scheduled=number, title=title, byline=byline, body=body, key_event=key_event,
            publish_at=publish_at,
        )  # fmt: skip
        return number

    class UpdateRescheduled(Event):
        """`publish_at` None: unscheduled (it will not be published)."""

        scheduled: int
        publish_at: datetime | None

        def apply(self, story: Story) -> None:
            entries = [list(e) for e in story.scheduled]
            for entry in entries:
                if entry[0] == self.scheduled:
                    entry[1] = self.publish_at
            story.scheduled = [e for e in entries if e[1] is not None]

    def reschedule_update(
        self,
        scheduled: int,
        publish_at: datetime | None,
        *,
        editor: str,
        at: datetime,
        role: str | None = None,
    ) -> None:
        """Moves a waiting post to another time, or (`publish_at` None) unschedules it."""
        entry = self.require_scheduled(scheduled)
        if publish_at is not None:
            publish_at = valid_publish_at(publish_at, at)
            if publish_at == entry[1]:
                raise NothingToChange(f"scheduled post {scheduled} of {self.slug!r} is already due then")
        self._record(self.UpdateRescheduled, editor, at, role, scheduled=scheduled, publish_at=publish_at)

    class PublicationScheduled(Event):
        """`publish_at` None: the scheduled publication is cancelled."""

        publish_at: datetime | None

        def apply(self, story: Story) -> None:
            story.publish_at = self.publish_at

    def schedule_publication(
        self, publish_at: datetime | None, *, editor: str, at: datetime, role: str | None = None
    ) -> None:
        """Schedules a draft's publication (or, `publish_at` None, cancels it)."""
        if self.status != DRAFT:
            raise WrongStatus(self.slug, self.status, "only a draft can be scheduled for publication")
        if publish_at is None and self.publish_at is None:
            raise NothingToChange(f"the publication of {self.slug!r} is not scheduled")
        if publish_at is not None:
            publish_at = valid_publish_at(publish_at, at)
            if publish_at == self.publish_at:
                raise NothingToChange(f"the publication of {self.slug!r} is already scheduled then")
        self._record(self.PublicationScheduled, editor, at, role, publish_at=publish_at)

    def require_scheduled(self, scheduled: int) -> list[Any]:
        """[number, publish_at, version of its words] of a post still waiting."""
        if not 1 <= scheduled <= self.scheduled_count:
            raise ScheduledPostNotFound(self.slug, scheduled, self.scheduled_count)
        for entry in self.scheduled:
            if entry[0] == scheduled:
                return list(entry)
        raise ScheduledPostNotPending(self.slug, scheduled)

    def due_posts(self, now: datetime) -> list[int]:
        """The waiting posts whose time has come, in the order they fall due (none on a closed story)."""
        if self.status == CLOSED:
            return []
        return [
            number
            for number, moment, _ in sorted(self.scheduled, key=lambda e: (e[1], e[0]))
            if moment <= now
        ]

    def publication_due(self, now: datetime) -> bool:
        return self.status == DRAFT and self.publish_at is not None and self.publish_at <= now

    def publish_on_schedule(self, *, at: datetime, role: str | None = None) -> None:
        """The publisher publishes a draft whose time has come, naming that time."""
        if not self.publication_due(at):
            raise WrongStatus(self.slug, self.status, "its publication is not due")
        assert self.publish_at is not None
        scheduled_for = self.publish_at
        self._record(
            self.Published, SCHEDULER, at, role, scheduled_for=scheduled_for, late=is_late(scheduled_for, at)
        )

    def post_on_schedule(
        self, post: ScheduledPost, *, at: datetime, role: str | None = None
    ) -> UpdateDigests:
        """The publisher posts a waiting post whose time has come as the next update; returns
        its digests, to be saved with the story."""
        if post.number not in self.due_posts(at):
            raise ScheduledPostNotPending(self.slug, post.number)
        number = self.update_count + 1
        self._record(
            self.UpdatePosted, SCHEDULER, at, role,
            number=number, title=post.title, byline=post.byline, body=post.body, key_event=post.key_event,
            scheduled=post.number, scheduled_for=post.publish_at, late=is_late(post.publish_at, at),
        )  # fmt: skip
        return UpdateDigests.posted(self.id, number, post.title, post.body, at)

    # Earlier words (`domain/earlier_words.py`): a submission's or a scheduled post's that never
    # became an update, taken down on their own; one still waiting leaves the queue.

    class SubmissionTakenDown(Event):
        """A submission's words taken down on legal grounds: the order and the public note, never
        its words, whose key is destroyed with it."""

        submission: int
        order: str
        note: str

        def apply(self, story: Story) -> None:
            story._earlier_taken_down(SUBMITTED_WORDS, self.submission)

    class ScheduledPostTakenDown(Event):
        """A scheduled post's words taken down on legal grounds, as a submission's."""

        scheduled: int
        order: str
        note: str

        def apply(self, story: Story) -> None:
            story._earlier_taken_down(SCHEDULED_WORDS, self.scheduled)

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
        event_class = (
            self.SubmissionTakenDown if words.kind == SUBMITTED_WORDS else self.ScheduledPostTakenDown
        )
        self._record(event_class, editor, at, role, order=order, note=note, **{words.kind: words.number})

    def _earlier_taken_down(self, kind: str, number: int) -> None:
        self.earlier_taken_down = [*self.earlier_taken_down, [kind, number]]
        if kind == SUBMITTED_WORDS:
            self.pending = [entry for entry in self.pending if entry[0] != number]
        else:
            self.scheduled = [entry for entry in self.scheduled if entry[0] != number]

    # Reading.

    def words_before(self, number: int) -> tuple[str, int] | None:
        """The submission (`SUBMITTED_WORDS`, S) or scheduled post (`SCHEDULED_WORDS`, S) whose
        sealed words became update `number`, if it came from one: a takedown shreds them too."""
        for update, kind, source in self.word_sources:
            if update == number:
                return kind, source
        return None

    EVENT_CLASSES: ClassVar[tuple[type, ...]] = ()

    def require_update(self, number: int) -> None:
        """Refuses a number that is not one of the story's updates (retracted ones included)."""
        if not 1 <= number <= self.update_count:
            raise UpdateNotFound(self.slug, number, self.update_count)

    def _not_retracted(self, number: int) -> None:
        self.require_update(number)
        if number in self.taken_down:
            raise UpdateAlreadyTakenDown(self.slug, number)
        if number in self.retracted:
            raise UpdateRetracted(self.slug, number)

    def _posted(self, event: UpdatePosted | SubmissionApproved, source: tuple[str, int] | None) -> None:
        """Update `event.number` posted, from the earlier words `source` (kind, number) if any:
        counted, noted as sealed (with where its words were sealed before) and as a key event."""
        self.update_count = event.number
        if is_sealed(event):
            self.sealed_updates = [*self.sealed_updates, event.number]
            if source is not None:
                self.word_sources = [*self.word_sources, [event.number, *source]]
        if event.key_event:
            self.key_events.append(event.number)

    def _new_words(
        self, doing: str, title: str, byline: str | None, body: tuple[Block, ...]
    ) -> tuple[str, str | None, tuple[Block, ...]]:
        """The words of a new post, submission or scheduled post, checked: not on a closed story
        ("reopen it before `doing` updates"), a title, an optional byline and a body."""
        if self.status == CLOSED:
            raise WrongStatus(self.slug, self.status, f"reopen it before {doing} updates")
        title = rules.valid_line("title", title, rules.TITLE_MAX)
        byline = rules.optional_line("byline", byline, rules.BYLINE_MAX)
        return title, byline, _valid_body(body)

    def _changeable(self, update: UpdateDigests) -> int:
        assert update.story_id == self.id, "the digests of another story's update"
        self._not_retracted(update.number)
        return update.number


def _valid_body(body: tuple[Block, ...]) -> tuple[Block, ...]:
    if not body:
        raise InvalidInput("the body is empty: give the update some text")
    return tuple(body)


def _standfirst(standfirst: str | None) -> str | None:
    if standfirst is None or not standfirst.strip():
        return None
    return rules.valid_text("standfirst", standfirst, rules.STANDFIRST_MAX)


Story.EVENT_CLASSES = tuple(
    value
    for value in vars(Story).values()
    if isinstance(value, type)
    and issubclass(value, Story.Event)
    # The library adds a default "Created" class beside ours; only Opened is ever recorded.
    and value not in (Story.Event, getattr(Story, "Created", None))
)
STORY_TOPICS: frozenset[str] = frozenset(get_topic(cls) for cls in Story.EVENT_CLASSES)
"""The stored topics of the story's chained events: what audits and read models read, passing
over every other aggregate's (update digests, command requests)."""
