"""Submissions: updates offered for approval. Nothing readers see changes until an editor
approves one, which posts it as the story's next update (`Story.approve_submission`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from domain import rules
from domain.blocks import Block
from domain.errors import NothingToChange, NotSubmitter, SubmissionNotFound, SubmissionNotPending, WrongStatus
from domain.meaning import BehindThePage, Seen, Told, words_of
from domain.story_event import StoryEvent
from domain.story_state import CLOSED, valid_body
from domain.story_updates import Posted, UpdateCommands
from domain.submission import Submission
from domain.update_digests import UpdateDigests


class _Words(BehindThePage):
    """A submission's words as they now stand (submitted, or revised): behind the page, whole."""

    def __init__(self, done: str, said: str) -> None:
        self.done, self.said = done, said

    def label(self, event: Any) -> str:
        return f"Submission {event.submission} {self.done}"

    def summary(self, event: Any) -> str:
        return f"Submission {event.submission} {self.said}: {event.title!r}"

    def told(self, event: Any, before: Seen, after: Seen) -> Told:
        return Told(self.label(event), None, words_of(event))


class UpdateSubmitted(StoryEvent):
    """Sealed (a store with keys) under the submission's own key, not yet an update's."""

    submission: int
    title: str
    byline: str | None
    body: tuple[Block, ...]
    protected: ClassVar[tuple[str, ...]] = ("title", "byline", "body")
    meaning = _Words("submitted", "submitted for approval")

    def apply(self, story: SubmissionCommands) -> None:
        story.submission_count = self.submission
        version = self.originator_version
        story.pending.append([self.submission, self.editor, version, version])


class SubmissionRevised(StoryEvent):
    """The submission's words as they now stand, whole (title, byline and body)."""

    submission: int
    title: str
    byline: str | None
    body: tuple[Block, ...]
    protected: ClassVar[tuple[str, ...]] = ("title", "byline", "body")
    meaning = _Words("revised", "revised")

    def apply(self, story: SubmissionCommands) -> None:
        story._pending_entry(self.submission)[3] = self.originator_version


class _Withdrawn(BehindThePage):
    def label(self, event: Any) -> str:
        return f"Submission {event.submission} withdrawn"


class SubmissionWithdrawn(StoryEvent):
    submission: int
    meaning = _Withdrawn()

    def apply(self, story: SubmissionCommands) -> None:
        story.pending.remove(story._pending_entry(self.submission))


class _Rejected(BehindThePage):
    reason_field = "reason"

    def label(self, event: Any) -> str:
        return f"Submission {event.submission} rejected"


class SubmissionRejected(StoryEvent):
    submission: int
    reason: str
    meaning = _Rejected()

    def apply(self, story: SubmissionCommands) -> None:
        story.pending.remove(story._pending_entry(self.submission))


class _Approved(Posted):
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


class SubmissionApproved(StoryEvent):
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
    meaning = _Approved()

    def apply(self, story: SubmissionCommands) -> None:
        story.pending.remove(story._pending_entry(self.submission))
        story._posted(self)


class SubmissionCommands(UpdateCommands):
    """The story's commands on its submissions (part of `Story`); an approval posts an update."""

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
            UpdateSubmitted, editor, at, role, submission=number, title=title, byline=byline, body=body
        )
        return number

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
        body = submission.body if body is None else valid_body(body)
        if title == submission.title and body == submission.body:
            raise NothingToChange(f"submission {submission.number} of {self.slug!r} already reads that way")
        self._record(
            SubmissionRevised, editor, at, role,
            submission=submission.number, title=title, byline=submission.byline, body=body,
        )  # fmt: skip

    def withdraw_submission(
        self, submission: int, *, editor: str, at: datetime, role: str | None = None
    ) -> None:
        """The submitter takes back their pending submission."""
        self._by_submitter(submission, editor)
        self._record(SubmissionWithdrawn, editor, at, role, submission=submission)

    def reject_submission(
        self, submission: int, *, reason: str, editor: str, at: datetime, role: str | None = None
    ) -> None:
        self.require_pending(submission)
        reason = rules.valid_text("reason", reason, rules.REASON_MAX)
        self._record(SubmissionRejected, editor, at, role, submission=submission, reason=reason)

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
            SubmissionApproved, editor, at, role,
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
