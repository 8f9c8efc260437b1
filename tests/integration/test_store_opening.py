"""Opening a store: a new one gets its tables on first use, even when several processes start on it
at once; an existing one is used as it is, with no table creation and no lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from infrastructure.bootstrap import bootstrap
from infrastructure.store import StoreUnavailable, parse_url, ready_store
from tests.support.postgres import libpq_url

ROOT = Path(__file__).parents[2]
STARTERS = 6


def test_a_new_store_gets_its_tables_and_an_existing_one_is_used_as_it_is(store_url: str) -> None:
    with ready_store(parse_url(store_url)) as new:
        assert "CREATE_TABLE" not in new.env
    bootstrap(store_url).app.close()

    with ready_store(parse_url(store_url)) as existing:
        assert existing.env["CREATE_TABLE"] == "n"
    app = bootstrap(store_url).app
    try:
        assert app.open_story("syria", "Syria talks", editor="ann") == 1
    finally:
        app.close()


def open_story_process(url: str, n: int) -> subprocess.Popen[str]:
    args = ["--db", url, "--as", f"ed{n}", "story", "open", f"story-{n}", "--headline", f"Story {n}"]
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_processes_starting_together_on_a_new_store_all_write(store_url: str) -> None:
    starters = [open_story_process(store_url, n) for n in range(STARTERS)]
    failures = [s.stderr.read() for s in starters if s.wait() != 0]

    assert failures == []
    app = bootstrap(store_url).app
    try:
        assert [app.get_story(f"story-{n}").slug for n in range(STARTERS)] == [
            f"story-{n}" for n in range(STARTERS)
        ]
    finally:
        app.close()


@pytest.mark.postgres
def test_opening_an_existing_postgres_store_writes_nothing_to_the_catalogue(postgres_url: str) -> None:
    bootstrap(postgres_url).app.close()
    schema = postgres_url.rsplit("schema=", 1)[1]
    catalogue = (
        "SELECT xmin::text FROM pg_proc WHERE pronamespace = %s::regnamespace "
        "UNION ALL SELECT xmin::text FROM pg_class WHERE relnamespace = %s::regnamespace ORDER BY 1"
    )
    with psycopg.connect(libpq_url(postgres_url), autocommit=True) as admin:
        before = admin.execute(catalogue, (schema, schema)).fetchall()
        app = bootstrap(postgres_url).app
        app.open_story("syria", "Syria talks", editor="ann")
        app.close()
        after = admin.execute(catalogue, (schema, schema)).fetchall()

    assert after == before


@pytest.mark.postgres
def test_a_missing_postgres_schema_is_refused(postgres_url: str) -> None:
    url = postgres_url.rsplit("schema=", 1)[0] + "schema=no_such_schema_here"

    with pytest.raises(StoreUnavailable, match="schema 'no_such_schema_here' does not exist"):
        bootstrap(url).app.close()


@pytest.mark.postgres
def test_opening_an_existing_postgres_store_does_not_wait_for_a_writer_holding_the_events_table(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bootstrap(postgres_url).app.close()
    schema = postgres_url.rsplit("schema=", 1)[1]
    # Every connection of this process gives up on a lock after 5 s, so waiting fails instead of hanging.
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=5s")
    with psycopg.connect(libpq_url(postgres_url)) as writer:
        events = Identifier(schema, "newsroom_events")
        writer.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(events))  # as an insert does
        app = bootstrap(postgres_url).app
        try:
            assert app.recorder.max_notification_id() is None  # reads are not blocked: it is open
        finally:
            app.close()
            writer.rollback()
