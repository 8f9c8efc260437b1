"""Replay: every story rebuilt in memory from nothing but its events, held against the read models.

The fold ignores snapshots and read models alike: each story starts from its Opened event and takes
every later event in turn (`domain.story_page.StoryPage`). The live page of the fold must equal the
live-page read model's, and the history must have one row per event with the event's facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.application import Newsroom
from domain.errors import StoryNotFound
from domain.live_page import LivePage, PageUpdate
from domain.story import Story
from domain.story_page import StoryPage
from infrastructure.audit.errors import ReplayImpossible
from infrastructure.audit.records import STORY_TOPICS, notification_pages
from infrastructure.projections.history import HistoryEntry
from infrastructure.projections.read_models import ReadModels

LIVE_PAGE, HISTORY, STORY_LIST = "live page", "history", "story list"
ABSENT = "absent"
_PAGE_FIELDS = ("headline", "standfirst", "status", "version", "updated_at", "key_events")
_UPDATE_FIELDS = tuple(f.name for f in fields(PageUpdate) if f.name != "number")


@dataclass(frozen=True)
class Difference:
    """One place where a read model says other than the story replayed from its events."""

    slug: str
    read_model: str
    where: str
    replayed: object
    found: object


@dataclass(frozen=True)
class EventFacts:
    """What the history must say of an event: its version, time, editor, type and reason."""

    version: int
    at: datetime
    editor: str
    event_type: str
    reason: str | None


@dataclass
class ReplayedStory:
    """A story folded from its events, with the facts of each event for the history."""

    story: StoryPage
    events: list[EventFacts] = field(default_factory=list)


@dataclass(frozen=True)
class Replay:
    """The outcome of a replay: how much was replayed and every difference found."""

    stories: int
    events: int
    differences: tuple[Difference, ...]

    @property
    def matches(self) -> bool:
        return not self.differences


def replay_stories(app: Newsroom, read_models: ReadModels, slug: str | None = None) -> Replay:
    """Folds every story (or `slug`) from its events and compares it with the read models.

    The fold stops where the read models stand, so that events written meanwhile are no difference.
    """
    position = min((s.position for s in read_models.status()), default=0)
    replayed = fold_stories(app, last=position, slug=slug)
    if slug is not None and not replayed:
        raise StoryNotFound(slug)
    differences: list[Difference] = []
    for folded in replayed.values():
        differences += _page_differences(folded.story, read_models)
        differences += _history_differences(folded, read_models)
    if slug is None:
        differences += _list_differences(replayed, read_models)
    events = sum(len(f.events) for f in replayed.values())
    return Replay(len(replayed), events, tuple(differences))


def fold_stories(app: Newsroom, *, last: int, slug: str | None = None) -> dict[UUID, ReplayedStory]:
    """Every story (or `slug`) rebuilt from its events up to notification `last`, in store order."""
    only = Story.id_for(slug) if slug is not None else None
    replayed: dict[UUID, ReplayedStory] = {}
    if last <= 0:
        return replayed
    for page in notification_pages(app, sorted(STORY_TOPICS), last=last):
        for notification in page:
            story_id = notification.originator_id
            if only is not None and story_id != only:
                continue
            assert isinstance(story_id, UUID)
            folded = replayed.get(story_id)
            try:
                event, story = _applied(app.mapper.to_domain_event(notification), folded)
            # Whatever a damaged stream makes the fold raise, the finding is the same.
            except Exception as error:
                raise ReplayImpossible(story_id, notification.originator_version, str(error)) from None
            if folded is None:
                folded = replayed[story_id] = ReplayedStory(story)
            folded.story = story
            folded.events.append(_facts(event))
    return replayed


def _applied(event: object, folded: ReplayedStory | None) -> tuple[Story.Event, StoryPage]:
    """The event and the story's page after it, folded from nothing but the events."""
    if not isinstance(event, Story.Event):
        raise ValueError(f"a {type(event).__name__} is not a story event")
    if folded is None and not isinstance(event, Story.Opened):
        raise ValueError("no Opened event comes before it")
    page = folded.story if folded is not None else StoryPage()
    page.apply(event)
    return event, page


def _facts(event: Story.Event) -> EventFacts:
    reason = getattr(event, "reason", None)
    return EventFacts(event.originator_version, event.timestamp, event.editor, type(event).__name__, reason)


def _page_differences(story: StoryPage, read_models: ReadModels) -> list[Difference]:
    replayed = LivePage.of(story)
    try:
        found = read_models.page(story.slug)
    except StoryNotFound:
        return [Difference(story.slug, LIVE_PAGE, "story", "present", ABSENT)]
    return list(_compare_pages(story.slug, replayed, found))


def _compare_pages(slug: str, replayed: LivePage, found: LivePage) -> Iterator[Difference]:
    for name in _PAGE_FIELDS:
        if getattr(replayed, name) != getattr(found, name):
            yield Difference(slug, LIVE_PAGE, name, getattr(replayed, name), getattr(found, name))
    replayed_updates = {u.number: u for u in replayed.updates}
    found_updates = {u.number: u for u in found.updates}
    for number in sorted(replayed_updates.keys() | found_updates.keys()):
        mine, theirs = replayed_updates.get(number), found_updates.get(number)
        if mine is None or theirs is None:
            yield Difference(
                slug,
                LIVE_PAGE,
                f"update {number}",
                "shown" if mine else ABSENT,
                "shown" if theirs else ABSENT,
            )
            continue
        for name in _UPDATE_FIELDS:
            if getattr(mine, name) != getattr(theirs, name):
                yield Difference(
                    slug, LIVE_PAGE, f"update {number} {name}", getattr(mine, name), getattr(theirs, name)
                )
    replayed_order = [u.number for u in replayed.updates]
    found_order = [u.number for u in found.updates]
    if replayed_order != found_order and sorted(replayed_order) == sorted(found_order):
        yield Difference(slug, LIVE_PAGE, "order of updates", replayed_order, found_order)


def _history_differences(folded: ReplayedStory, read_models: ReadModels) -> list[Difference]:
    slug = folded.story.slug
    try:
        entries = read_models.history(slug)
    except StoryNotFound:
        return [Difference(slug, HISTORY, "story", "present", ABSENT)]
    found = {entry.version: entry for entry in entries}
    differences = []
    for facts in folded.events:
        entry = found.pop(facts.version, None)
        if entry is None:
            differences.append(Difference(slug, HISTORY, f"version {facts.version}", "recorded", ABSENT))
            continue
        differences += _compare_entry(slug, facts, entry)
    for version in sorted(found):
        differences.append(Difference(slug, HISTORY, f"version {version}", ABSENT, "listed"))
    return differences


def _compare_entry(slug: str, facts: EventFacts, entry: HistoryEntry) -> list[Difference]:
    expected: dict[str, Any] = {"at": facts.at, "editor": facts.editor, "event_type": facts.event_type}
    if facts.reason is not None:
        expected["reason"] = facts.reason
    return [
        Difference(slug, HISTORY, f"version {facts.version} {name}", value, getattr(entry, name))
        for name, value in expected.items()
        if getattr(entry, name) != value
    ]


def _list_differences(replayed: dict[UUID, ReplayedStory], read_models: ReadModels) -> list[Difference]:
    folded = {f.story.slug: f.story for f in replayed.values()}
    listed = {s.slug: s for s in read_models.stories()}
    differences = []
    for slug in sorted(folded.keys() - listed.keys()):
        differences.append(Difference(slug, STORY_LIST, "story", "present", ABSENT))
    for slug in sorted(listed.keys() - folded.keys()):
        differences.append(Difference(slug, STORY_LIST, "story", ABSENT, "listed"))
    for slug in sorted(folded.keys() & listed.keys()):
        story, summary = folded[slug], listed[slug]
        for name, value in (
            ("headline", story.headline),
            ("status", story.status),
            ("version", story.version),
        ):
            if getattr(summary, name) != value:
                differences.append(Difference(slug, STORY_LIST, name, value, getattr(summary, name)))
    return differences
