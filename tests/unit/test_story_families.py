"""Story events are declared by family, each beside its meaning, and stored under their name on
`Story` wherever they are declared: what the stored events' topics and hashes were written under."""

from __future__ import annotations

import pytest
from eventsourcing.utils import get_topic, resolve_topic

from domain.meanings import gathered
from domain.story import Story
from domain.story_event import StoryEvent

FAMILIES = {
    "domain.story_header",
    "domain.story_updates",
    "domain.story_submissions",
    "domain.story_schedule",
    "domain.story_takedowns",
}


def test_every_story_event_is_stored_under_its_name_on_story() -> None:
    for cls in Story.EVENT_CLASSES:
        topic = f"domain.story:Story.{cls.__name__}"

        assert get_topic(cls) == topic
        assert resolve_topic(topic) is cls
        assert getattr(Story, cls.__name__) is cls


def test_a_new_story_event_is_stored_under_its_name_on_story_whatever_module_declares_it() -> None:
    class ThrowawayOfTheTopicTest(StoryEvent):
        tags: tuple[str, ...]

    assert get_topic(ThrowawayOfTheTopicTest) == "domain.story:Story.ThrowawayOfTheTopicTest"
    assert ThrowawayOfTheTopicTest.__qualname__ == "Story.ThrowawayOfTheTopicTest"


def test_every_story_event_is_declared_with_its_meaning_in_the_module_of_its_family() -> None:
    for cls in Story.EVENT_CLASSES:
        assert cls.__module__ in FAMILIES, cls.__name__
        assert type(vars(cls)["meaning"]).__module__ == cls.__module__, cls.__name__


def test_a_story_event_without_a_meaning_is_refused_by_name() -> None:
    class ThrowawayOfTheTopicTest(StoryEvent):
        tags: tuple[str, ...]

    with pytest.raises(TypeError, match="ThrowawayOfTheTopicTest"):
        gathered([Story.UpdatePosted, ThrowawayOfTheTopicTest])
