"""Another process learns of a takedown or an erasure from the log (`Forgetting.look`) and
forgets the key it kept, even while the key store still holds it (the command records the event
first and destroys the key after): nothing it decodes from then on opens the words or the name."""

from __future__ import annotations

from domain.story import Story
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.keys import PERSON_INDEX, person_key_id, update_key_id
from tests.conftest import StepClock

SLUG = "inquiry"
EDITOR = "Ann Editor"
NAME = "Zoë Quarrington-Ülker"


def _story(newsroom: Services) -> None:
    app = newsroom.app
    app.open_story(SLUG, "An inquiry", editor=EDITOR)
    app.post_update(SLUG, "Claim", "Quillfeather said so.", editor=EDITOR)
    app.post_update(SLUG, "Opening", "> Words.\n>\n> – Someone", editor=EDITOR)
    app.correct_quote(SLUG, 2, 1, text="Better words.", note="Misquote", editor=NAME)


def test_a_takedown_read_back_from_the_log_forgets_the_update_key_still_in_the_key_store(
    newsroom: Services, store_url: str, clock: StepClock
) -> None:
    _story(newsroom)
    other = bootstrap(store_url, clock=clock)
    key_id = update_key_id(Story.id_for(SLUG), 1)
    try:
        other.forgetting.look()
        assert other.keys.key(key_id) is not None  # kept, as a server that showed the update keeps it

        newsroom.app.take_down_update(SLUG, 1, order="HC-1", note="Removed.", editor=EDITOR)
        other.forgetting.look()

        assert newsroom.keys.store.key(key_id) is not None  # not destroyed yet
        assert other.keys.key(key_id) is None
    finally:
        other.close()


def test_an_erasure_read_back_from_the_log_forgets_the_person_key_still_in_the_key_store(
    newsroom: Services, store_url: str, clock: StepClock
) -> None:
    _story(newsroom)
    other = bootstrap(store_url, clock=clock)
    try:
        other.forgetting.look()
        key_id = person_key_id(other.keys.key_for_sealing(PERSON_INDEX), NAME)
        assert other.keys.key(key_id) is not None

        newsroom.app.erase_person(NAME, request="DSAR-1", editor="root")
        other.forgetting.look()

        assert newsroom.keys.store.key(key_id) is not None  # not destroyed yet
        assert other.keys.key(key_id) is None
        assert other.keys.key(person_key_id(other.keys.key_for_sealing(PERSON_INDEX), EDITOR)) is not None
    finally:
        other.close()
