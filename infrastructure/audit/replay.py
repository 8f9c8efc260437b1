"""Replay: every story rebuilt in memory from nothing but its events, held against the read models.

The fold ignores snapshots and read models alike: each story starts from its Opened event and takes
every later event in turn (`domain.page_fold.PageFold`). The live page of the fold must equal the
live-page read model's, now and at every past version (the fold's page timeline, recorded event by
event, against the one the read model keeps), and the history must have one row per event with
the event's type (the rest of a history entry is read from the event itself).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any
from uuid import UUID

from domain.application import Newsroom
from domain.errors import StoryNotFound
from domain.page import Header, Page, Update
from domain.page_fold import PageFold
from domain.story import STORY_TOPICS, Story
from infrastructure.audit.errors import ReplayImpossible
from infrastructure.audit.records import notification_pages
from infrastructure.page_json import page_to_dict, update_to_dict
from infrastructure.projections.page_reading import PageTimeline
from infrastructure.projections.queries import ReadQueries
from infrastructure.rendering.times import iso

LIVE_PAGE, HISTORY, STORY_LIST = "live page", "history", "story list"
ABSENT = "absent"
_UPDATE_FIELDS = tuple(f.name for f in fields(Update) if f.name != "number")


@dataclass(frozen=True)
class Difference:
    """One place where a read model says other than the story replayed from its events; the
    values as JSON values (`infrastructure/page_json.py`)."""

    slug: str
    read_model: str
    where: str
    replayed: object
    found: object


@dataclass(frozen=True)
class EventFacts:
    """What the history's row must say of an event: its version and type."""

    version: int
    event_type: str


@dataclass
class ReplayedStory:
    """A story folded from its events, with the facts of each event for the history and what the
    page showed at every version."""

    fold: PageFold
    events: list[EventFacts] = field(default_factory=list)
    timeline: PageTimeline = field(default_factory=PageTimeline)
    shown: dict[int, tuple[int, Update]] = field(default_factory=dict)
    """Each update shown at the last version folded: since which version, and how."""

    def record(self, event: Story.Event) -> None:
        """Notes what the page shows after `event` (just folded)."""
        fold, version = self.fold, event.originator_version
        self.events.append(EventFacts(version, type(event).__name__))
        self.timeline.times[version] = event.timestamp
        self.timeline.header_from(version, fold.header)
        number = getattr(event, "number", None)
        if number is None:
            return
        shown = fold.update(number)
        since = self.shown.pop(number, None)
        if since is not None and since[1] == shown:
            self.shown[number] = since
            return
        if since is not None:
            self.timeline.update_run(since[0], version, since[1])
        if shown is not None:
            self.shown[number] = (version, shown)

    def finish(self) -> None:
        """Ends the timeline at the last version folded: what is shown then is shown still."""
        for _number, (since, shown) in sorted(self.shown.items()):
            self.timeline.update_run(since, None, shown)
        self.shown.clear()


@dataclass(frozen=True)
class Replay:
    """The outcome of a replay: how much was replayed and every difference found."""

    stories: int
    events: int
    differences: tuple[Difference, ...]

    @property
    def matches(self) -> bool:
        return not self.differences


def replay_stories(app: Newsroom, queries: ReadQueries, slug: str | None = None) -> Replay:
    """Folds every story (or `slug`) from its events and compares it with the read models.

    The fold stops where the read models stand, so that events written meanwhile are no difference.
    """
    replayed = fold_stories(app, last=queries.position(), slug=slug)
    if slug is not None and not replayed:
        raise StoryNotFound(slug)
    differences: list[Difference] = []
    for folded in replayed.values():
        differences += _page_differences(folded.fold, queries)
        differences += _timeline_differences(folded, queries)
        differences += _history_differences(folded, queries)
    if slug is None:
        differences += _list_differences(replayed, queries)
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
                event, fold = _applied(app.mapper.to_domain_event(notification), folded)
            # Whatever a damaged stream makes the fold raise, the finding is the same.
            except Exception as error:
                raise ReplayImpossible(story_id, notification.originator_version, str(error)) from None
            if folded is None:
                folded = replayed[story_id] = ReplayedStory(fold)
            folded.record(event)
    for folded in replayed.values():
        folded.finish()
    return replayed


def _applied(event: object, folded: ReplayedStory | None) -> tuple[Story.Event, PageFold]:
    """The event and the story's page fold after it, folded from nothing but the events."""
    if not isinstance(event, Story.Event):
        raise ValueError(f"a {type(event).__name__} is not a story event")
    if folded is None and not isinstance(event, Story.Opened):
        raise ValueError("no Opened event comes before it")
    fold = folded.fold if folded is not None else PageFold()
    fold.apply(event)
    return event, fold


def _page_differences(fold: PageFold, queries: ReadQueries) -> list[Difference]:
    replayed = fold.page()
    try:
        found = queries.page(replayed.slug)
    except StoryNotFound:
        return [Difference(replayed.slug, LIVE_PAGE, "story", "present", ABSENT)]
    return list(_compare_pages(replayed, found))


def _page_fields(page: Page) -> dict[str, Any]:
    """The page's JSON values but its updates (compared one by one), and which one is pinned."""
    shown = page_to_dict(page)
    del shown["slug"], shown["updates"]
    return {**shown, "pinned": page.pinned}


def _compare_pages(replayed: Page, found: Page) -> Iterator[Difference]:
    slug = replayed.slug
    mine, theirs = _page_fields(replayed), _page_fields(found)
    for name, value in mine.items():
        if value != theirs[name]:
            yield Difference(slug, LIVE_PAGE, name, value, theirs[name])
    replayed_updates = {u.number: u for u in replayed.updates}
    found_updates = {u.number: u for u in found.updates}
    for number in sorted(replayed_updates.keys() | found_updates.keys()):
        old, new = replayed_updates.get(number), found_updates.get(number)
        if old is None or new is None:
            shown = ("shown" if old else ABSENT, "shown" if new else ABSENT)
            yield Difference(slug, LIVE_PAGE, f"update {number}", *shown)
            continue
        if old != new:
            old_values, new_values = update_to_dict(old), update_to_dict(new)
            for name in _UPDATE_FIELDS:
                key = "blocks" if name == "body" else name
                if old_values[key] != new_values[key]:
                    yield Difference(
                        slug, LIVE_PAGE, f"update {number} {key}", old_values[key], new_values[key]
                    )
    replayed_order = [u.number for u in replayed.updates]
    found_order = [u.number for u in found.updates]
    if replayed_order != found_order and sorted(replayed_order) == sorted(found_order):
        yield Difference(slug, LIVE_PAGE, "order of updates", replayed_order, found_order)


def _timeline_differences(folded: ReplayedStory, queries: ReadQueries) -> list[Difference]:
    """Every past version: each version's time, each header and each update's runs."""
    slug, replayed = folded.fold.header.slug, folded.timeline
    try:
        found = queries.timeline(slug)
    except StoryNotFound:
        return []  # the page's own comparison reports it absent
    differences = _keyed_differences(slug, "version {} time", replayed.times, found.times, shown_as=iso)
    differences += _keyed_differences(
        slug, "header from version {}", dict(replayed.headers), dict(found.headers), shown_as=_header
    )
    for number in sorted(replayed.updates.keys() | found.updates.keys()):
        runs = [
            {start: (end, update) for start, end, update in timeline.updates.get(number, [])}
            for timeline in (replayed, found)
        ]
        where = f"update {number} from version {{}}"
        replayed_runs, found_runs = runs
        differences += _keyed_differences(slug, where, replayed_runs, found_runs, shown_as=_run)
    return differences


def _header(header: Header) -> dict[str, Any]:
    shown = asdict(header)
    del shown["slug"]
    return shown


def _run(run: tuple[int | None, Update]) -> tuple[int | None, Any]:
    """A run as JSON values (until, the update), as a difference shows it."""
    end, update = run
    return end, update_to_dict(update)


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


def _history_differences(folded: ReplayedStory, queries: ReadQueries) -> list[Difference]:
    slug = folded.fold.header.slug
    try:
        rows = queries.history_rows(slug)
    except StoryNotFound:
        return [Difference(slug, HISTORY, "story", "present", ABSENT)]
    found = {version: event_type for version, event_type, _ in rows}
    differences = []
    for facts in folded.events:
        event_type = found.pop(facts.version, None)
        if event_type is None:
            differences.append(Difference(slug, HISTORY, f"version {facts.version}", "recorded", ABSENT))
        elif event_type != facts.event_type:
            where = f"version {facts.version} event_type"
            differences.append(Difference(slug, HISTORY, where, facts.event_type, event_type))
    for version in sorted(found):
        differences.append(Difference(slug, HISTORY, f"version {version}", ABSENT, "listed"))
    return differences


def _list_differences(replayed: dict[UUID, ReplayedStory], queries: ReadQueries) -> list[Difference]:
    folded = {f.fold.header.slug: f.fold for f in replayed.values()}
    listed = {s.slug: s for s in queries.stories()}
    differences = []
    for slug in sorted(folded.keys() - listed.keys()):
        differences.append(Difference(slug, STORY_LIST, "story", "present", ABSENT))
    for slug in sorted(listed.keys() - folded.keys()):
        differences.append(Difference(slug, STORY_LIST, "story", ABSENT, "listed"))
    for slug in sorted(folded.keys() & listed.keys()):
        fold, summary = folded[slug], listed[slug]
        for name, value in (
            ("headline", fold.header.headline),
            ("status", fold.header.status),
            ("version", fold.version),
        ):
            if getattr(summary, name) != value:
                differences.append(Difference(slug, STORY_LIST, name, value, getattr(summary, name)))
    return differences
