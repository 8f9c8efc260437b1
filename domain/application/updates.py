"""The commands on an update once it is posted: post, revise, correct a quote, retract, pin and
unpin, mark as a key event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from eventsourcing.application import AggregateNotFoundError

from domain import rules
from domain.application.base import Done, NewsroomBase
from domain.commands import command
from domain.markdown_body import parse_body
from domain.roles import EDITOR, LEGAL
from domain.story import Story
from domain.update_digests import UpdateDigests


class UpdateCommands(NewsroomBase):
    """Posting an update and changing it, each change checked against its digests."""

    @command("post_update", EDITOR, action="post an update")
    def post_update(
        self,
        slug: str,
        title: str,
        body: str,
        *,
        byline: str | None = None,
        key_event: bool = False,
        pin: bool = False,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Posts an update from Markdown and returns its number."""
        blocks = parse_body(rules.valid_text("body", body, rules.BODY_MAX))

        def post(story: Story, at: datetime, role: str | None) -> Done:
            update = story.post_update(
                title, blocks, byline=byline, key_event=key_event, pin=pin, editor=editor, at=at, role=role
            )
            return Done(update.number, update)

        return self._change(slug, editor, request_id, post)

    @command("revise_update", EDITOR, action="revise an update")
    def revise_update(
        self,
        slug: str,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        reason: str,
        editor: str,
        expect_version: int | None = None,
        request_id: str | None = None,
    ) -> int:
        """Revises an update's title, body or both, with the reason kept in the history."""
        blocks = None if body is None else parse_body(rules.valid_text("body", body, rules.BODY_MAX))
        return self._change(
            slug, editor, request_id,
            self._on_update(number, lambda s, u, at, role: s.revise_update(
                u, title=title, body=blocks, reason=reason, editor=editor, at=at, role=role
            )),
            expect_version=expect_version,
        )  # fmt: skip

    @command("correct_quote", EDITOR, action="correct a quote")
    def correct_quote(
        self,
        slug: str,
        number: int,
        quote: int,
        *,
        text: str | None = None,
        attribution: str | None = None,
        note: str,
        editor: str,
        expect_version: int | None = None,
        request_id: str | None = None,
    ) -> int:
        """Corrects quote `quote` of update `number` (its words, its attribution or both), with a
        public note."""
        return self._change(
            slug, editor, request_id,
            self._on_update(number, lambda s, u, at, role: s.correct_quote(
                u, quote, text=text, attribution=attribution, note=note, editor=editor, at=at, role=role
            )),
            expect_version=expect_version,
        )  # fmt: skip

    @command("retract_update", LEGAL, action="retract an update")
    def retract_update(
        self, slug: str, number: int, *, reason: str, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.retract_update(number, reason=reason, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("pin_update", EDITOR, action="pin or unpin an update")
    def pin_update(self, slug: str, number: int, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.pin_update(number, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("unpin_update", EDITOR, action="pin or unpin an update")
    def unpin_update(self, slug: str, number: int, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.unpin_update(number, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("mark_key_event", EDITOR, action="mark key events")
    def mark_key_event(
        self,
        slug: str,
        number: int,
        *,
        key_event: bool = True,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.mark_key_event(
                number, key_event=key_event, editor=editor, at=at, role=role
            ),
        )  # fmt: skip

    def _on_update(
        self, number: int, change: Callable[[Story, UpdateDigests, datetime, str | None], None]
    ) -> Callable[[Story, datetime, str | None], Done]:
        """A command on update `number` of the story, given that update's digests to compare with."""

        def run(story: Story, at: datetime, role: str | None) -> Done:
            update = self._update_digests(story, number, at)
            change(story, update, at, role)
            return Done(None, update)

        return run

    def _update_digests(self, story: Story, number: int, at: datetime) -> UpdateDigests:
        """The digests of update `number`; for an update posted before stories kept them apart,
        made from its words folded from the story's events (once: the command saves them)."""
        story.require_update(number)
        try:
            update: UpdateDigests = self.repository.get(UpdateDigests.id_for(story.id, number))
        except AggregateNotFoundError:
            from domain.page_fold import PageFold

            fold = PageFold.of(self.events.get(story.id, lte=story.version))  # type: ignore[arg-type]
            words = fold.any_update(number)
            assert words is not None, "a number the story has is a posted update"
            return UpdateDigests.adopted(story.id, words, at)
        return update
