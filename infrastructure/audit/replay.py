"""Replay: every story rebuilt in memory from nothing but its events, held against the read models.

The fold ignores snapshots and read models alike: each story starts from its Opened event and takes
every later event in turn (`domain.story_page.StoryPage`). The live page of the fold must equal the
live-page read model's, now and at every past version (the fold's page timeline, recorded event by
event, against the one the read model keeps), and the history must have one row per event with
the event's facts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.application import Newsroom
from domain.errors import StoryNotFound
from domain.live_page import LivePage, PageUpdate
from domain.story import STORY_TOPICS, Story
from domain.story_page import StoryPage
from domain.update import Update
from infrastructure.audit.errors import ReplayImpossible
from infrastructure.audit.records import notification_pages
from infrastructure.projections.history import HistoryEntry
from infrastructure.projections.read_models import ReadModels
from infrastructure.projections.time_travel import PageTimeline, Shown, read_page_timeline
from infrastructure.rendering.page_view import (
    PageView,
    blocks_text,
    corrections_text,
    key_event_text,
    page_view,
    update_text,
)
from infrastructure.rendering.times import iso

LIVE_PAGE, HISTORY, STORY_LIST = "live page", "history", "story list"
ABSENT = "absent"
_PAGE_FIELDS = ("headline", "standfirst", "status", "version", "updated_at", "key_events")
_UPDATE_FIELDS = tuple(f.name for f in fields(PageUpdate) if f.name != "number")
"""Compared as readers get them (`rendering.page_view`): times as ISO text, blocks as JSON objects."""


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
    """A story folded from its events, with the facts of each event for the history and what the
    page showed at every version."""

    story: StoryPage
    events: list[EventFacts] = field(default_factory=list)
    timeline: PageTimeline = field(default_factory=PageTimeline)
    shown: dict[int, tuple[int, Shown]] = field(default_factory=dict)
    """Each update shown at the last version folded: since which version, and what."""

    def record(self, event: Story.Event) -> None:
        """Notes what the page shows after `event` (just folded)."""
        story, version = self.story, event.originator_version
        self.events.append(_facts(event))
        self.timeline.times[version] = iso(event.timestamp) or ""
        self.timeline.header_from(version, (story.headline, story.standfirst, story.status, story.pinned))
        number = getattr(event, "number", None)
        if number is None:
            return
        update = story.updates[number - 1]
        shown = None if update.retracted else _shown(update)
        since = self.shown.pop(number, None)
        if since is not None and since[1] == shown:
            self.shown[number] = since
            return
        if since is not None:
            self.timeline.update_run(number, since[0], version, since[1])
        if shown is not None:
            self.shown[number] = (version, shown)

    def finish(self) -> None:
        """Ends the timeline at the last version folded: what is shown then is shown still."""
        for number, (since, shown) in sorted(self.shown.items()):
            self.timeline.update_run(number, since, None, shown)
        self.shown.clear()


def _shown(update: Update) -> Shown:
    """The update's texts as the read model must hold them: the same formatter, fed by the fold."""
    posted_at = iso(update.posted_at) or ""
    corrections = [
        {"at": iso(c.at), "quote": c.quote, "note": c.note, "editor": c.editor} for c in update.corrections
    ]
    page = update_text(
        update.number,
        update.title,
        update.byline,
        posted_at,
        iso(update.revised_at),
        False,
        update.key_event,
        blocks_text(update.body),
        corrections_text(corrections),
    )
    return page, key_event_text(update.number, update.title, posted_at) if update.key_event else None


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
        differences += _timeline_differences(folded, read_models)
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
            folded.record(event)
    for folded in replayed.values():
        folded.finish()
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
    replayed = page_view(LivePage.of(story))
    try:
        found = read_models.page(story.slug)
    except StoryNotFound:
        return [Difference(story.slug, LIVE_PAGE, "story", "present", ABSENT)]
    return list(_compare_pages(story.slug, replayed, found))


def _compare_pages(slug: str, replayed: PageView, found: PageView) -> Iterator[Difference]:
    for name in _PAGE_FIELDS:
        if getattr(replayed, name) != getattr(found, name):
            yield Difference(slug, LIVE_PAGE, name, getattr(replayed, name), getattr(found, name))
    replayed_updates = {u["number"]: u for u in replayed.updates}
    found_updates = {u["number"]: u for u in found.updates}
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
            if mine.get(name) != theirs.get(name):
                yield Difference(slug, LIVE_PAGE, f"update {number} {name}", mine.get(name), theirs.get(name))
    replayed_order = [u["number"] for u in replayed.updates]
    found_order = [u["number"] for u in found.updates]
    if replayed_order != found_order and sorted(replayed_order) == sorted(found_order):
        yield Difference(slug, LIVE_PAGE, "order of updates", replayed_order, found_order)


def _timeline_differences(folded: ReplayedStory, read_models: ReadModels) -> list[Difference]:
    """Every past version: each version's time, each header and each update's runs."""
    slug, replayed = folded.story.slug, folded.timeline
    try:
        found = read_page_timeline(read_models.engine, slug)
    except StoryNotFound:
        return []  # the page's own comparison reports it absent
    differences = _keyed_differences(slug, "version {} time", replayed.times, found.times)
    differences += _keyed_differences(
        slug, "header from version {}", dict(replayed.headers), dict(found.headers)
    )
    for number in sorted(replayed.updates.keys() | found.updates.keys()):
        runs = [
            {start: (end, shown) for start, end, shown in timeline.updates.get(number, [])}
            for timeline in (replayed, found)
        ]
        where = f"update {number} from version {{}}"
        replayed_runs, found_runs = runs
        differences += _keyed_differences(slug, where, replayed_runs, found_runs, shown_as=_decoded)
    return differences


def _decoded(run: tuple[int | None, Shown]) -> tuple[int | None, Any, Any]:
    """A run as JSON values (until, page, key-event entry), as a difference shows it."""
    end, (page, key_event) = run
    return end, json.loads(page), None if key_event is None else json.loads(key_event)


def _keyed_differences(
    slug: str,
    where: str,
    replayed: dict[int, Any],
    found: dict[int, Any],
    shown_as: Callable[[Any], Any] = lambda value: value,
) -> list[Difference]:
    def shown(value: Any) -> Any:
        return value if value is ABSENT else shown_as(value)

    return [
        Difference(
            slug,
            LIVE_PAGE,
            where.format(key),
            shown(replayed.get(key, ABSENT)),
            shown(found.get(key, ABSENT)),
        )
        for key in sorted(replayed.keys() | found.keys())
        if replayed.get(key, ABSENT) != found.get(key, ABSENT)
    ]


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
