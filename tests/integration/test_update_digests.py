"""Each update's digests are saved with the story event that changes them, and an update posted
before stories kept them apart is given its digests, from its folded words, by the first command
that needs them."""

from __future__ import annotations

import pytest
from eventsourcing.application import AggregateNotFoundError

from domain.errors import NothingToChange, UpdateNotFound
from domain.markdown_body import parse_body
from domain.story import Story
from domain.update_digests import UpdateDigests
from infrastructure.bootstrap import bootstrap
from tests.conftest import StepClock

SLUG = "syria"
QUOTED = "Intro.\n\n> We are hopeful.\n>\n> – The spokesman"


@pytest.fixture
def app(store_url: str):
    newsroom = bootstrap(store_url, clock=StepClock()).app
    newsroom.open_story(SLUG, "Syria talks", editor="ann")
    yield newsroom
    newsroom.close()


def digests(app, number: int) -> UpdateDigests:
    return app.repository.get(UpdateDigests.id_for(Story.id_for(SLUG), number))


def posted_the_old_way(app, title: str, body: str) -> None:
    """As code before the digests were kept apart did: the story event alone."""
    story = app.get_story(SLUG)
    story.post_update(title, parse_body(body), editor="ann", at=app.clock())
    app.save(story)


def test_a_post_and_a_revision_save_the_digests_with_the_story(app) -> None:
    app.post_update(SLUG, "First", QUOTED, editor="ann")
    app.revise_update(SLUG, 1, title="First, revised", reason="Typo", editor="ann")

    update = digests(app, 1)
    assert (update.version, update.has_title("First, revised")) == (2, True)
    assert update.has_body(parse_body(QUOTED))


def test_an_update_without_digests_is_given_them_from_its_folded_words(app) -> None:
    posted_the_old_way(app, "Old", QUOTED)
    with pytest.raises(AggregateNotFoundError):
        digests(app, 1)

    app.correct_quote(SLUG, 1, 1, attribution="The minister", note="Wrong speaker", editor="ann")
    app.revise_update(SLUG, 1, title="Old, revised", reason="Typo", editor="ann")

    update = digests(app, 1)
    assert update.version == 3  # adopted, corrected, revised
    assert update.has_title("Old, revised") and update.quotes[0].has_attribution("The minister")
    assert [u.title for u in app.get_page(SLUG).updates] == ["Old, revised"]


def test_adopted_digests_refuse_a_command_that_changes_nothing(app) -> None:
    posted_the_old_way(app, "Old", QUOTED)

    with pytest.raises(NothingToChange):
        app.correct_quote(SLUG, 1, 1, text="We are hopeful.", note="Same", editor="ann")
    with pytest.raises(NothingToChange):
        app.revise_update(SLUG, 1, title="Old", body=QUOTED, reason="Same", editor="ann")
    with pytest.raises(AggregateNotFoundError):  # a refused command saves nothing, digests neither
        digests(app, 1)


def test_a_command_on_an_update_that_does_not_exist_is_refused_before_any_lookup(app) -> None:
    app.post_update(SLUG, "First", "Body.", editor="ann")

    with pytest.raises(UpdateNotFound, match="numbered 1 to 1"):
        app.revise_update(SLUG, 2, title="X", reason="Typo", editor="ann")
