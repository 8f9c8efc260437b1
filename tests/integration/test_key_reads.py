"""What reading sealed events asks of the keys, so that sealing stays cheap: keys are read and made
64 at a time per story and kind, so neither a write nor a rebuild goes to the key store for every
update, and a story loaded for its rules opens no update's words."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from domain.story import Story
from infrastructure.key_stores import SQLiteKeyStore
from infrastructure.keys import CachedKeys, keys_after, update_key_id


def _counted(path: Path) -> tuple[SQLiteKeyStore, list[str]]:
    store = SQLiteKeyStore(path)
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    return store, statements


def test_sealing_64_updates_asks_the_key_store_once(tmp_path: Path) -> None:
    store, statements = _counted(tmp_path / "k.keys")
    keys, story = CachedKeys(store), uuid4()
    first = update_key_id(story, 1)
    keys.key_for_sealing(first, keys_after(first))
    asked = len(statements)

    for number in range(2, 65):
        key_id = update_key_id(story, number)
        keys.key_for_sealing(key_id, keys_after(key_id))

    assert asked > 0 and len(statements) == asked


def test_reading_a_key_reads_the_next_63_of_the_story_with_it(tmp_path: Path) -> None:
    story = uuid4()
    maker = SQLiteKeyStore(tmp_path / "k.keys")
    first = update_key_id(story, 1)
    maker.key_for_sealing(first, keys_after(first))  # made with the next 63, as a post makes them
    made = {n: maker.key(update_key_id(story, n)) for n in range(1, 65)}
    maker.close()
    store, statements = _counted(tmp_path / "k.keys")
    keys = CachedKeys(store)

    read = {n: keys.key(update_key_id(story, n)) for n in range(1, 65)}

    assert read == made and len(statements) == 1
    assert keys.key(update_key_id(story, 65)) is None  # never made: asked for, and read as missing
    assert len(statements) == 2


def test_a_story_loaded_for_its_rules_leaves_the_words_sealed_and_still_reads_as_sealed(
    tmp_path: Path,
) -> None:
    from domain.chain import COMMITMENT, is_sealed, read_for_rules
    from infrastructure.bootstrap import bootstrap

    services = bootstrap(f"sqlite:///{tmp_path}/n.db")
    try:
        app = services.app
        app.open_story("court", "A court case", editor="ann")
        app.post_update("court", "Secret words", "More secret words.", editor="ann")
        [stored] = app.recorder.select_events(Story.id_for("court"), gt=1)

        with read_for_rules():
            for_rules = app.mapper.to_domain_event(stored)
        in_full = app.mapper.to_domain_event(stored)
        story = app.get_story("court")
    finally:
        services.close()

    assert set(vars(for_rules)["title"]) == {COMMITMENT} and is_sealed(for_rules)
    assert vars(for_rules)["editor"] == "ann"  # names are opened: the rules keep submitters
    assert vars(in_full)["title"] == "Secret words"
    assert story.posted_sealed(1)  # so it can still be taken down


def test_a_snapshot_taken_with_the_words_left_sealed_is_the_one_the_words_opened_would_give(
    tmp_path: Path,
) -> None:
    from domain.application import _fold_story
    from infrastructure.bootstrap import bootstrap
    from infrastructure.takedown import take_down_update

    services = bootstrap(f"sqlite:///{tmp_path}/n.db")
    try:
        app = services.app
        app.open_story("court", "A court case", editor="ann")
        app.post_update("court", "Opening", "> Not guilty.\n>\n> - The defendant", editor="ann")
        app.post_update("court", "Second", "Words.", editor="bob", key_event=True, pin=True)
        app.revise_update(
            "court", 1, body="> Not guilty at all.\n>\n> - The defendant", reason="r", editor="ann"
        )
        app.correct_quote("court", 1, 1, attribution="The accused", note="n", editor="ann")
        app.submit_update("court", "From the steps", "Submitted words.", editor="cat")
        app.approve_submission("court", 1, editor="ann")
        app.submit_update("court", "Pending", "Still waiting.", editor="cat")
        take_down_update(services, "court", 2, order="HC-1", note="Gone.", editor="ann")  # key destroyed
        story_id = Story.id_for("court")
        version = app.get_story("court").version

        app.take_snapshot(story_id, version, _fold_story)  # as a save past an interval does
        [taken] = app.snapshots.get(story_id, desc=True, limit=1)
        in_full = _fold_story(None, app.events.get(story_id, lte=version))  # every word opened
    finally:
        services.close()

    assert taken.originator_version == version > 9  # past the interval: the save took one too
    assert taken.state == Story.Snapshot.take(in_full).state


def test_read_models_leave_names_sealed_but_those_a_page_shows(tmp_path: Path) -> None:
    from domain.chain import COMMITMENT, read_for_read_models
    from infrastructure.bootstrap import bootstrap
    from infrastructure.projections.runner import _NAMING

    services = bootstrap(f"sqlite:///{tmp_path}/n.db")
    try:
        app = services.app
        app.open_story("court", "A court case", editor="ann")
        app.post_update("court", "Opening", "> Not guilty.\n>\n> - The defendant", editor="ann")
        app.correct_quote("court", 1, 1, attribution="The accused", note="n", editor="bob")
        posted, corrected = app.recorder.select_events(Story.id_for("court"), gt=1)

        with read_for_read_models(_NAMING):
            post, correction = (app.mapper.to_domain_event(e) for e in (posted, corrected))
        services.runner.catch_up()
        page = services.queries.page("court")
    finally:
        services.close()

    assert set(vars(post)["editor"]) == {COMMITMENT} and vars(post)["title"] == "Opening"
    assert vars(correction)["editor"] == "bob"  # the page shows who corrected the quote
    assert page.updates[0].corrections[0].editor == "bob"


def test_a_process_keeps_a_bounded_number_of_keys_and_reads_a_dropped_one_again(tmp_path: Path) -> None:
    story = uuid4()
    maker = SQLiteKeyStore(tmp_path / "k.keys")
    for first in (1, 65, 129):  # three posts' worth of keys made ahead: 192
        maker.key_for_sealing(update_key_id(story, first), keys_after(update_key_id(story, first)))
    made = {n: maker.key(update_key_id(story, n)) for n in range(1, 193)}
    maker.close()
    store, statements = _counted(tmp_path / "k.keys")
    keys = CachedKeys(store, kept_at_most=128)

    read = {n: keys.key(update_key_id(story, n)) for n in range(1, 193)}  # three reads of 64
    asked = len(statements)
    latest = keys.key(update_key_id(story, 192))
    assert len(statements) == asked  # still kept
    again = keys.key(update_key_id(story, 1))  # the first 64 were dropped to keep 128

    assert read == made and asked == 3 and latest == made[192]
    assert again == made[1] and len(statements) == asked + 1


def test_a_key_forgotten_reads_as_gone_even_while_the_key_store_still_holds_it(tmp_path: Path) -> None:
    # A takedown read back before its command destroyed the key: a thread asking afterwards must
    # not read the key again and keep it.
    story = uuid4()
    store = SQLiteKeyStore(tmp_path / "k.keys")
    key_id = update_key_id(story, 1)
    store.key_for_sealing(key_id, keys_after(key_id))
    keys = CachedKeys(store)
    assert keys.key(key_id) is not None

    keys.forget(key_id)

    assert store.key(key_id) is not None
    assert keys.key(key_id) is None and keys.keys_of([key_id]) == {}
    assert keys.key(update_key_id(story, 2)) is not None  # the story's other keys read as before
