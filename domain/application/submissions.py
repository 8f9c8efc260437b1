"""Submissions: updates offered (by a contributor or an editor) for approval, posted only when an
editor approves them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain import rules
from domain.application.base import Done, NewsroomBase
from domain.commands import command
from domain.markdown_body import parse_body
from domain.roles import CONTRIBUTOR, EDITOR
from domain.story import Story
from domain.submission import Submission


class SubmissionCommands(NewsroomBase):
    """Offering an update, changing or withdrawing the offer, and an editor's answer to it."""

    @command("submit_update", EDITOR, CONTRIBUTOR, action="submit an update")
    def submit_update(
        self,
        slug: str,
        title: str,
        body: str,
        *,
        byline: str | None = None,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Submits an update (Markdown) for an editor's approval; returns the submission's number."""
        blocks = parse_body(rules.valid_text("body", body, rules.BODY_MAX))
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: Done(
                s.submit_update(title, blocks, byline=byline, editor=editor, at=at, role=role)
            ),
        )  # fmt: skip

    @command("revise_submission", EDITOR, CONTRIBUTOR, action="revise a submission")
    def revise_submission(
        self,
        slug: str,
        submission: int,
        *,
        title: str | None = None,
        body: str | None = None,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """The submitter changes their pending submission's title, body or both."""
        blocks = None if body is None else parse_body(rules.valid_text("body", body, rules.BODY_MAX))
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.revise_submission(
                self._submission(s, submission), title=title, body=blocks, editor=editor, at=at, role=role
            ),
        )  # fmt: skip

    @command("withdraw_submission", EDITOR, CONTRIBUTOR, action="withdraw a submission")
    def withdraw_submission(
        self, slug: str, submission: int, *, editor: str, request_id: str | None = None
    ) -> int:
        """The submitter withdraws their pending submission."""
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.withdraw_submission(submission, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("reject_submission", EDITOR, action="reject a submission")
    def reject_submission(
        self, slug: str, submission: int, *, reason: str, editor: str, request_id: str | None = None
    ) -> int:
        """Rejects a pending submission, with the reason kept in the history."""
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.reject_submission(
                submission, reason=reason, editor=editor, at=at, role=role
            ),
        )  # fmt: skip

    @command("approve_submission", EDITOR, action="approve a submission")
    def approve_submission(
        self,
        slug: str,
        submission: int,
        *,
        key_event: bool = False,
        pin: bool = False,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Posts a pending submission as the story's next update; returns the update's number."""

        def approve(story: Story, at: datetime, role: str | None) -> Done:
            update = story.approve_submission(
                self._submission(story, submission),
                key_event=key_event,
                pin=pin,
                editor=editor,
                at=at,
                role=role,
            )
            return Done(update.number, update)

        return self._change(slug, editor, request_id, approve)

    def get_submissions(self, slug: str) -> list[Submission]:
        """The story's pending submissions, oldest first, read from its events."""
        story = self.get_story(slug)
        return [self._submission(story, entry[0]) for entry in story.pending]

    def _submission(self, story: Story, number: int) -> Submission:
        """Pending submission `number` as it stands: two of the story's events at most (the one
        that submitted it, the one holding its latest words)."""
        submitter, first, latest = story.require_pending(number)
        submitted: Any = self._story_event(story.id, first)
        words: Any = submitted if latest == first else self._story_event(story.id, latest)
        body = tuple(words.body)
        return Submission(number, words.title, words.byline, body, submitter, submitted.timestamp)
