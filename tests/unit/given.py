"""Given/when/then over Story event streams: builders for past events and a reader of new ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import reduce
from typing import Any

from domain.live_page import LivePage
from domain.markdown_body import parse_body
from domain.story import Story
from domain.story_page import StoryPage

T0 = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)
SLUG = "syria-summit"
EDITOR = "ann"
ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "hash", "previous_hash"}

Step = Callable[[Story | None, datetime], Story]


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


def opened(headline: str = "Syria summit", standfirst: str | None = None) -> Step:
    return lambda _story, when: Story.open(SLUG, headline, standfirst, editor=EDITOR, at=when)


def _on_story(action: Callable[[Story, datetime], Any]) -> Step:
    def step(story: Story | None, when: datetime) -> Story:
        assert story is not None, "open the story first"
        action(story, when)
        return story

    return step


def published() -> Step:
    return _on_story(lambda s, when: s.publish(editor=EDITOR, at=when))


def closed() -> Step:
    return _on_story(lambda s, when: s.close(editor=EDITOR, at=when))


def posted(title: str = "An update", body: str = "Some news.", **options: Any) -> Step:
    return _on_story(
        lambda s, when: s.post_update(title, parse_body(body), editor=EDITOR, at=when, **options)
    )


def revised(number: int, title: str | None = None, body: str | None = None) -> Step:
    blocks = None if body is None else parse_body(body)
    return _on_story(
        lambda s, when: s.revise_update(
            number, title=title, body=blocks, reason="Fix", editor=EDITOR, at=when
        )
    )


def retracted(number: int) -> Step:
    return _on_story(lambda s, when: s.retract_update(number, reason="Legal", editor=EDITOR, at=when))


def pinned(number: int) -> Step:
    return _on_story(lambda s, when: s.pin_update(number, editor=EDITOR, at=when))


def quote_corrected(number: int, quote: int, text: str, note: str, editor: str = EDITOR) -> Step:
    return _on_story(
        lambda s, when: s.correct_quote(number, quote, text=text, note=note, editor=editor, at=when)
    )


def attributed(number: int, quote: int, attribution: str, note: str = "Wrong speaker") -> Step:
    return _on_story(
        lambda s, when: s.correct_quote(
            number, quote, attribution=attribution, note=note, editor=EDITOR, at=when
        )
    )


def events_of(*steps: Step) -> list[Story.Event]:
    """The events that `steps` record, in order."""
    story: Story | None = None
    for minute, step in enumerate(steps):
        story = step(story, at(minute))
    assert story is not None
    return list(story.collect_events())  # type: ignore[arg-type]


def given(*steps: Step) -> Story:
    """A story rebuilt from nothing but the events that `steps` recorded."""
    return reduce(lambda agg, event: event.mutate(agg), events_of(*steps), None)  # type: ignore[arg-type,return-value]


def page_after(*steps: Step) -> LivePage:
    """The page that the events `steps` record add up to."""
    return LivePage.of(StoryPage.fold(events_of(*steps)))


def new_events(story: Story) -> list[tuple[str, dict[str, Any]]]:
    """The events the command just recorded, as (type, fields) without the envelope."""
    return [
        (type(e).__name__, {k: v for k, v in vars(e).items() if k not in ENVELOPE})
        for e in story.collect_events()
    ]
