"""Every story event, whichever family's module declares it, is written to a real store under
`domain.story:Story.<Name>` (the topic its hash covers), and a process that opens the store
afresh reads the story back from those rows."""

from __future__ import annotations

from domain.story import Story
from infrastructure.bootstrap import Services, bootstrap
from tests.conftest import StepClock
from tests.support.every_event import (
    NOTE,
    ORDER,
    post_one_to_take_down,
    record_every_event,
    take_down_earlier_words,
)

SLUG = "syria-talks"


def test_every_story_event_is_written_under_its_name_on_story(newsroom: Services) -> None:
    app = newsroom.app
    record_every_event(app, SLUG)
    app.take_down_update(SLUG, post_one_to_take_down(app, SLUG), order=ORDER, note=NOTE, editor="ann")
    take_down_earlier_words(app, SLUG)

    story_id = Story.id_for(SLUG)
    written = {n.topic for n in app.recorder.select_notifications(1, 1000) if n.originator_id == story_id}

    assert written == {f"domain.story:Story.{cls.__name__}" for cls in Story.EVENT_CLASSES}


def test_a_story_written_under_those_topics_reads_back_in_a_store_opened_afresh(
    newsroom: Services, store_url: str
) -> None:
    record_every_event(newsroom.app, SLUG)
    written = newsroom.app.repository.get(Story.id_for(SLUG))

    again = bootstrap(store_url, clock=StepClock())
    try:
        story = again.app.repository.get(Story.id_for(SLUG))
    finally:
        again.close()

    assert (story.version, story.head_hash, story.update_count) == (
        written.version,
        written.head_hash,
        written.update_count,
    )
