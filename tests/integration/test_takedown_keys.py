"""The key store after a takedown: a destroyed key stays destroyed, and `keys status` counts and
names what can no longer be read."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from domain.story import Story
from infrastructure.bootstrap import Services
from tests.integration.conftest import Run
from tests.integration.takedown_stories import (
    NOTE,
    PHRASE,
    SLUG,
    read_ok,
    story_with_update_3,
    take_down_update_3,
)


@pytest.fixture
def taken_down(newsroom: Services, run: Run) -> Services:
    return take_down_update_3(newsroom, run)


def test_sqlite_key_store_overwrites_a_destroyed_key(tmp_path: Path) -> None:
    from infrastructure.key_stores import SQLiteKeyStore

    store = SQLiteKeyStore(tmp_path / "k.keys")
    key = store.key_for_sealing("update/x/1")
    store.destroy("update/x/1", reference="HC-1", at=__import__("datetime").datetime(2013, 5, 10))
    store.close()

    assert key not in (tmp_path / "k.keys").read_bytes()
    assert sqlite3.connect(tmp_path / "k.keys").execute("SELECT reference FROM tombstones").fetchall() == [
        ("HC-1",)
    ]


def test_keys_status_counts_keys_and_destroyed_ones(taken_down: Services, run: Run) -> None:
    status = json.loads(read_ok(run, "keys", "status", "--format", "json"))

    assert (status["destroyed"], status["matches"], status["missing"]) == (1, True, [])
    assert status["keys"] >= 2 and status["sealed_events"] >= 7  # each names its editor


def test_keys_status_lists_sealed_events_whose_keys_are_lost(newsroom: Services, run: Run) -> None:
    story_with_update_3(newsroom)
    store = newsroom.keys.store
    for key_id in store.live_ids():  # a key store lost, or restored from an older backup
        store.destroy(key_id, reference="test", at=newsroom.clock())
    _forget_tombstones(newsroom)

    result = run("keys", "status")

    assert result.exit_code == 1
    assert f"missing key: {SLUG} v5 (update/{Story.id_for(SLUG)}/3): reads as erased" in result.stdout


def _forget_tombstones(services: Services) -> None:
    store = services.keys.store
    if isinstance(store, __import__("infrastructure.key_stores", fromlist=["x"]).SQLiteKeyStore):
        store.db.execute("DELETE FROM tombstones")
    else:
        from psycopg.sql import SQL, Identifier

        tombstones = Identifier(store.schema, "tombstones")  # type: ignore[attr-defined]
        store.db.execute(SQL("DELETE FROM {}").format(tombstones))  # type: ignore[attr-defined]


def test_a_takedown_warns_when_the_updates_digests_were_stored_before_they_were_keyed(
    newsroom: Services, run: Run
) -> None:
    app = newsroom.app
    app.open_story(SLUG, "A court case", None, editor="ann")
    app.post_update(SLUG, "Keyed", "Words.", editor="ann")
    keys, app.digest_keys = app.digest_keys, None  # as a store sealed before digests were keyed
    app.post_update(SLUG, f"Title {PHRASE}", "Words.", editor="ann")
    app.digest_keys = keys

    plain = run("update", "takedown", SLUG, "2", "--order", "HC-1", "--note", NOTE)
    keyed = run("update", "takedown", SLUG, "1", "--order", "HC-1", "--note", NOTE)

    assert (plain.exit_code, keyed.exit_code, keyed.stderr) == (0, 0, "")
    assert plain.stderr == (
        "Warning: update 2's digests were stored before they were keyed by its key: they can still "
        "confirm a guessed title, quote or attribution (stored events are never changed)\n"
    )
