"""Takedowns on legal grounds: an update, or the words of a submission or scheduled post that
never became one. The caller destroys the words' key (`infrastructure.takedown`)."""

from __future__ import annotations

from datetime import datetime

from domain import rules
from domain.application.base import NewsroomBase
from domain.chain import read_for_rules
from domain.commands import command
from domain.earlier_words import SCHEDULED_WORDS, SUBMITTED_WORDS, earlier_words, words_before
from domain.roles import LEGAL
from domain.story import Story


class TakedownCommands(NewsroomBase):
    """What the legal desk records when words must go."""

    @command("take_down_update", LEGAL, action="take an update down")
    def take_down_update(
        self, slug: str, number: int, *, order: str, note: str, editor: str, request_id: str | None = None
    ) -> int:
        """Records that an update was taken down under a legal order, with a public note; the
        caller destroys the update's key (`infrastructure.takedown`)."""
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.take_down_update(
                number, order=order, note=note, editor=editor, at=at, role=role
            ),
        )  # fmt: skip

    def words_before(self, slug: str, number: int) -> tuple[str, int] | None:
        """The submission or scheduled post whose sealed words became update `number` of `slug`,
        if any (`earlier_words.words_before`): its key goes with the update's at a takedown. Reads
        the story's events, their words left sealed: a takedown is rare, and the story's state
        keeps nothing per post. The events alone: the story itself is not folded."""
        with read_for_rules():
            return words_before(self.events.get(Story.id_for(rules.valid_slug(slug))), number)

    @command("take_down_submission", LEGAL, action="take a submission down")
    def take_down_submission(
        self, slug: str, submission: int, *, order: str, note: str, editor: str, request_id: str | None = None
    ) -> int:
        """Records that a submission that never became an update was taken down under a legal
        order; the caller destroys its key (`infrastructure.takedown`)."""
        return self._take_down_earlier(slug, SUBMITTED_WORDS, submission, order, note, editor, request_id)

    @command("take_down_scheduled_post", LEGAL, action="take a scheduled post down")
    def take_down_scheduled_post(
        self, slug: str, scheduled: int, *, order: str, note: str, editor: str, request_id: str | None = None
    ) -> int:
        """The same for a scheduled post that was never published."""
        return self._take_down_earlier(slug, SCHEDULED_WORDS, scheduled, order, note, editor, request_id)

    def _take_down_earlier(
        self,
        slug: str,
        kind: str,
        number: int,
        order: str,
        note: str,
        editor: str,
        request_id: str | None,
    ) -> int:
        def take_down(story: Story, at: datetime, role: str | None) -> None:
            with read_for_rules():  # whether the words were sealed, not the words
                words = earlier_words(self.events.get(story.id, lte=story.version), kind, number)
            story.take_down_earlier_words(words, order=order, note=note, editor=editor, at=at, role=role)

        return self._change(slug, editor, request_id, take_down)
