"""Each update's digests are saved with the story event that changes them, and an update posted
before stories kept them apart is given its digests, from its folded words, by the first command
that needs them. A sealed update's digests are keyed by its key: after a takedown, nothing in
the store confirms a guess of its words."""

from __future__ import annotations

import json

import pytest
from eventsourcing.application import AggregateNotFoundError

from domain.blocks import Quote, quotes_in
from domain.errors import NothingToChange, NothingToRevise, UpdateNotFound
from domain.markdown_body import parse_body
from domain.story import Story
from domain.update import PLAIN, Digester, body_digest, keyed_digests, text_digest
from domain.update_digests import UpdateDigests
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.keys import digest_key
from infrastructure.takedown import take_down_update
from tests.conftest import StepClock
from tests.support.store_bytes import store_files

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
    with keyed_digests(app.digest_keys):
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
    with keyed_digests(app.digest_keys):
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


# Keyed digests: a sealed update's digests confirm nothing once its key is gone.

GUESSED_TITLE = "Minister named in Zebrowski affair"
GUESSED_QUOTE = "I took the money"
GUESSED_ATTRIBUTION = "Quentin Zebrowski"
GUESSED_BODY = f"Sources say.\n\n> {GUESSED_QUOTE}\n>\n> – {GUESSED_ATTRIBUTION}"


@pytest.fixture
def services(store_url: str):
    services = bootstrap(store_url, clock=StepClock())
    services.app.open_story(SLUG, "Syria talks", editor="ann")
    yield services
    services.close()


def stored_digests(services: Services) -> set[str]:
    """Every digest any stored `UpdateDigests` event holds (title, body, each quote's two)."""
    found: set[str] = set()
    for notification in services.app.recorder.select_notifications(start=1, limit=10_000):
        if notification.topic.startswith("domain.update_digests:"):
            state = json.loads(notification.state)
            found |= {state["title"], state["body"], *(d for pair in state["quotes"] for d in pair)}
    return found - {None}


def guesses_digested(key: bytes | None) -> set[str]:
    """What the digests of the guessed words are under `key` (None: the plain, unkeyed scheme)."""
    blocks = parse_body(GUESSED_BODY)
    quote: Quote = next(q for _, q in quotes_in(blocks))
    digester = PLAIN if key is None else Digester.keyed(Story.id_for(SLUG), 1)
    with keyed_digests(lambda _story, _number: key or b""):
        return {
            digester.text(GUESSED_TITLE), digester.body(blocks),
            digester.text(quote.text), digester.text(quote.attribution or ""),
        }  # fmt: skip


def test_a_sealed_updates_digests_are_not_the_plain_digests_of_its_words(services: Services) -> None:
    services.app.post_update(SLUG, GUESSED_TITLE, GUESSED_BODY, editor="ann")

    assert stored_digests(services)
    assert not stored_digests(services) & {text_digest(GUESSED_TITLE), body_digest(parse_body(GUESSED_BODY))}
    assert not stored_digests(services) & guesses_digested(None)


def test_keyed_digests_still_refuse_a_revision_or_a_correction_that_changes_nothing(
    services: Services,
) -> None:
    app = services.app
    app.post_update(SLUG, GUESSED_TITLE, GUESSED_BODY, editor="ann")
    version = app.get_story(SLUG).version

    with pytest.raises(NothingToRevise):
        app.revise_update(SLUG, 1, title=GUESSED_TITLE, body=GUESSED_BODY, reason="Same", editor="ann")
    with pytest.raises(NothingToChange):
        app.correct_quote(SLUG, 1, 1, text=GUESSED_QUOTE, note="Same", editor="ann")
    with pytest.raises(NothingToChange):
        app.correct_quote(SLUG, 1, 1, attribution=GUESSED_ATTRIBUTION, note="Same", editor="ann")
    assert app.get_story(SLUG).version == version
    assert app.correct_quote(SLUG, 1, 1, attribution="A source", note="Named wrongly", editor="ann") > version


def test_after_a_takedown_the_whole_store_confirms_no_guess_of_the_words(
    services: Services, store_url: str
) -> None:
    app = services.app
    app.post_update(SLUG, GUESSED_TITLE, GUESSED_BODY, editor="ann")
    for _ in range(10):  # enough events for a snapshot of the story
        app.mark_key_event(SLUG, 1, key_event=True, editor="ann")
        app.mark_key_event(SLUG, 1, key_event=False, editor="ann")
    take_down_update(services, SLUG, 1, order="HC-2026-7", note="Removed by order.", editor="ann")

    live_keys = [services.keys.store.key(key_id) for key_id in services.keys.live_ids()]
    guesses = guesses_digested(None).union(*(guesses_digested(digest_key(k)) for k in live_keys if k))
    assert not stored_digests(services) & guesses  # no digest row, under any key left
    everything = b"".join(path.read_bytes() for path in store_files(store_url) if path.is_file())
    assert not [
        g for g in guesses_digested(None) if g.encode("ascii") in everything
    ]  # events, snapshots, keys
