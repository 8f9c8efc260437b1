"""Given/when/then over Story event streams: builders for past events and a reader of new ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import reduce
from typing import Any

from eventsourcing.domain import Aggregate

from domain.markdown_body import parse_body
from domain.page import Page
from domain.page_fold import PageFold
from domain.story import Story
from domain.update_digests import UpdateDigests

T0 = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)
SLUG = "syria-summit"
EDITOR = "ann"
ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "hash", "previous_hash"}


@dataclass
class Desk:
    """What the steps write to: the story and each update's digests, as the application saves them."""

    story: Story
    updates: dict[int, UpdateDigests] = field(default_factory=dict)


Step = Callable[[Desk | None, datetime], Desk]


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


def opened(headline: str = "Syria summit", standfirst: str | None = None) -> Step:
    return lambda _desk, when: Desk(Story.open(SLUG, headline, standfirst, editor=EDITOR, at=when))


def _on_story(action: Callable[[Story, datetime], Any]) -> Step:
    return _at_desk(lambda desk, when: action(desk.story, when))


def _on_update(number: int, action: Callable[[Story, UpdateDigests, datetime], Any]) -> Step:
    return _at_desk(lambda desk, when: action(desk.story, desk.updates[number], when))


def _at_desk(action: Callable[[Desk, datetime], Any]) -> Step:
    def step(desk: Desk | None, when: datetime) -> Desk:
        assert desk is not None, "open the story first"
        action(desk, when)
        return desk

    return step


def published() -> Step:
    return _on_story(lambda s, when: s.publish(editor=EDITOR, at=when))


def closed() -> Step:
    return _on_story(lambda s, when: s.close(editor=EDITOR, at=when))


def posted(title: str = "An update", body: str = "Some news.", **options: Any) -> Step:
    def post(desk: Desk, when: datetime) -> None:
        update = desk.story.post_update(title, parse_body(body), editor=EDITOR, at=when, **options)
        desk.updates[update.number] = update

    return _at_desk(post)


def revised(number: int, title: str | None = None, body: str | None = None) -> Step:
    blocks = None if body is None else parse_body(body)
    return _on_update(
        number,
        lambda s, u, when: s.revise_update(u, title=title, body=blocks, reason="Fix", editor=EDITOR, at=when),
    )


def retracted(number: int) -> Step:
    return _on_story(lambda s, when: s.retract_update(number, reason="Legal", editor=EDITOR, at=when))


def pinned(number: int) -> Step:
    return _on_story(lambda s, when: s.pin_update(number, editor=EDITOR, at=when))


def quote_corrected(number: int, quote: int, text: str, note: str, editor: str = EDITOR) -> Step:
    return _on_update(
        number, lambda s, u, when: s.correct_quote(u, quote, text=text, note=note, editor=editor, at=when)
    )


def attributed(number: int, quote: int, attribution: str, note: str = "Wrong speaker") -> Step:
    return _on_update(
        number,
        lambda s, u, when: s.correct_quote(
            u, quote, attribution=attribution, note=note, editor=EDITOR, at=when
        ),
    )


def _desk_after(*steps: Step) -> Desk:
    desk: Desk | None = None
    for minute, step in enumerate(steps):
        desk = step(desk, at(minute))
    assert desk is not None
    return desk


def events_of(*steps: Step) -> list[Story.Event]:
    """The story events that `steps` record, in order."""
    return list(_desk_after(*steps).story.collect_events())  # type: ignore[arg-type]


def given(*steps: Step) -> Story:
    """A story rebuilt from nothing but the events that `steps` recorded."""
    return reduce(lambda agg, event: event.mutate(agg), events_of(*steps), None)  # type: ignore[arg-type,return-value]


def given_update(*steps: Step, number: int = 1) -> tuple[Story, UpdateDigests]:
    """The story and the digests of its update `number`, each rebuilt from the events `steps` recorded."""
    desk = _desk_after(*steps)
    events = desk.updates[number].collect_events()
    story = reduce(lambda agg, event: event.mutate(agg), desk.story.collect_events(), None)
    return story, reduce(lambda agg, event: event.mutate(agg), events, None)  # type: ignore[arg-type,return-value]


def page_after(*steps: Step) -> Page:
    """The page that the events `steps` record add up to."""
    return PageFold.of(events_of(*steps)).page()


def new_events(aggregate: Aggregate) -> list[tuple[str, dict[str, Any]]]:
    """The events the command just recorded, as (type, fields) without the envelope."""
    return [
        (type(e).__name__, {k: v for k, v in vars(e).items() if k not in ENVELOPE})
        for e in aggregate.collect_events()
    ]
