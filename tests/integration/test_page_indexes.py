"""The live page's indexes on real SQLite and PostgreSQL: the key events list of a long story is
read by an index that holds only the key events' rows, not one entry for every update."""

from __future__ import annotations

from sqlalchemy import Connection, select, text

from domain.story_ids import story_id_for
from infrastructure.bootstrap import Services
from infrastructure.projections.live_page_tables import KEY_EVENTS, SHOWN_NOW, page_updates
from infrastructure.store import parse_url

SLUG = "long-story"


def _long_story(newsroom: Services, updates: int, key_events: tuple[int, ...]) -> None:
    app = newsroom.app
    app.open_story(SLUG, "A long story", editor="ann")
    for number in range(1, updates + 1):
        app.post_update(SLUG, f"Update {number}", "Words.", editor="ann", key_event=number in key_events)
    newsroom.caught_up()


def _index_entries(newsroom: Services) -> int:
    """The entries of `page_updates_key_events`, read from the index itself."""
    engine = newsroom.runner.engine
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            query = "SELECT count(*) FROM page_updates INDEXED BY page_updates_key_events WHERE key_event = 1"
            return int(connection.execute(text(query)).scalar_one())
        _analyzed(newsroom, connection)
        query = "SELECT reltuples FROM pg_class WHERE oid = to_regclass('page_updates_key_events')"
        return int(connection.execute(text(query)).scalar_one())


def _analyzed(newsroom: Services, connection: Connection) -> None:
    """On PostgreSQL: the read models' schema first on the search path, and their statistics
    taken (as autovacuum takes them), so the planner knows how few the key events are."""
    schema = parse_url(newsroom.url).postgres_schema
    connection.execute(text("SELECT set_config('search_path', :schema, false)"), {"schema": schema})
    connection.execute(text("ANALYZE page_updates"))


def test_the_key_events_index_holds_only_the_key_events_rows(newsroom: Services) -> None:
    _long_story(newsroom, 40, key_events=(3, 17))

    assert _index_entries(newsroom) == 2
    assert [u.number for u in newsroom.caught_up().page_window(SLUG, 20, None).key_events] == [17, 3]


def test_the_key_events_are_found_by_their_own_index(newsroom: Services) -> None:
    _long_story(newsroom, 40, key_events=(3, 17))
    engine = newsroom.runner.engine
    query = select(page_updates.c.number).where(
        page_updates.c.story_id == story_id_for(SLUG), SHOWN_NOW, KEY_EVENTS
    )

    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            compiled = query.compile(engine)
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(compiled), (story_id_for(SLUG).hex,)
            ).all()
        else:
            _analyzed(newsroom, connection)
            connection.execute(text("SET enable_seqscan = off"))  # 40 rows: a scan would do
            compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
            plan = connection.execute(text("EXPLAIN " + str(compiled))).all()

    assert "page_updates_key_events" in " ".join(str(row) for row in plan)
