"""The story's own commands (open, headline, standfirst, time zone, publish, close, reopen) and
the queries that read a story's page and events back."""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from domain import rules
from domain.application.base import NewsroomBase
from domain.chain import sealing
from domain.commands import command, running
from domain.errors import StoryAlreadyExists, StoryNotFound
from domain.page import Page
from domain.roles import EDITOR
from domain.story import Story


class StoryCommands(NewsroomBase):
    """Opening a story and changing what it is, as a whole."""

    @command("open_story", EDITOR, action="open a story")
    def open_story(
        self,
        slug: str,
        headline: str,
        standfirst: str | None = None,
        *,
        editor: str,
        request_id: str | None = None,
    ) -> int:
        """Opens a draft story; returns its version (1)."""
        declared = running()
        role = self.authorise(editor, declared)
        request = self._previous_request(request_id, declared.id, slug)
        if request is not None:
            return request.result
        at = self.clock()
        with sealing(self.salts):
            story = Story.open(slug, headline, standfirst, editor=editor, at=at, role=role)
            requests = self._request_record(request_id, declared.id, slug, 1, editor, at)
        try:
            self.save(story, *requests)
        except IntegrityError:
            request = self._previous_request(request_id, declared.id, slug)
            if request is not None:
                return request.result
            raise StoryAlreadyExists(slug) from None
        return story.version

    @command("change_headline", EDITOR, action="change a headline")
    def change_headline(
        self, slug: str, headline: str, *, reason: str, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.change_headline(headline, reason=reason, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("change_standfirst", EDITOR, action="change a standfirst")
    def change_standfirst(
        self, slug: str, standfirst: str | None, *, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.change_standfirst(standfirst, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("change_time_zone", EDITOR, action="change a story's time zone")
    def change_time_zone(
        self, slug: str, time_zone: str, *, editor: str, request_id: str | None = None
    ) -> int:
        return self._change(
            slug, editor, request_id,
            lambda s, at, role: s.change_time_zone(time_zone, editor=editor, at=at, role=role),
        )  # fmt: skip

    @command("publish_story", EDITOR, action="publish a story")
    def publish_story(self, slug: str, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            slug,
            editor,
            request_id,
            lambda s, at, role: s.publish(editor=editor, at=at, role=role),
        )

    @command("close_story", EDITOR, action="close a story")
    def close_story(self, slug: str, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            slug,
            editor,
            request_id,
            lambda s, at, role: s.close(editor=editor, at=at, role=role),
        )

    @command("reopen_story", EDITOR, action="reopen a story")
    def reopen_story(self, slug: str, *, editor: str, request_id: str | None = None) -> int:
        return self._change(
            slug,
            editor,
            request_id,
            lambda s, at, role: s.reopen(editor=editor, at=at, role=role),
        )

    def get_page(self, slug: str, version: int | None = None) -> Page:
        """The page as it stands now, or as it stood at `version`, folded from the story's events:
        the domain's answer, which the live-page read model must equal at every version."""
        from domain.page_fold import PageFold

        story_id = Story.id_for(rules.valid_slug(slug))
        fold = PageFold.of(self.events.get(story_id, lte=version))  # type: ignore[arg-type]
        if fold.version == 0:
            raise StoryNotFound(slug)
        return fold.page()

    def get_events(self, slug: str) -> list[Story.Event]:
        """Every event of the story, oldest first."""
        story_id = Story.id_for(rules.valid_slug(slug))
        events = list(self.events.get(story_id))
        if not events:
            raise StoryNotFound(slug)
        return events  # type: ignore[return-value]
