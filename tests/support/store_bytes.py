"""What a store holds on disk, for the tests that look for words that must be gone from it (a
takedown's, an erased person's): its files, the encodings words may take in them, and its read
models' rows."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from infrastructure.bootstrap import Services
from infrastructure.store import parse_url
from tests.support.postgres import libpq_url


def store_files(store_url: str) -> list[Path]:
    """Every file the store at `store_url` keeps its rows in: the SQLite folder's files (the
    database, its write-ahead log, the key store), or the PostgreSQL schema's relations' files
    and its key schema's, after a checkpoint.

    Call it while the store is still open: SQLite's write-ahead log is emptied on closing."""
    config = parse_url(store_url)
    if config.backend == "sqlite":
        assert config.sqlite_path is not None
        return sorted(config.sqlite_path.parent.iterdir())
    return _postgres_table_files(store_url, config.postgres_schema)


def encodings(phrase: str) -> list[bytes]:
    """The phrase in clear and in every encoding the project writes text in: UTF-8, JSON with
    and without ASCII escapes, HTML escaping, UTF-16, and base64 at each of its three alignments;
    and its first word alone."""
    forms = {
        phrase.encode("utf-8"),
        json.dumps(phrase).encode("ascii")[1:-1],
        phrase.replace("«", "&laquo;").replace("»", "&raquo;").encode("utf-8"),
        phrase.encode("utf-16-le"),
        phrase.encode("utf-16-be"),
        phrase.split()[0].encode("utf-8"),
    }
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + phrase.encode("utf-8"))
        forms.add(encoded[4 if shift else 0 : -4])  # the part that does not depend on neighbours
    return sorted(forms)


def read_model_tables(services: Services) -> dict[str, list[tuple[object, ...]]]:
    """The live page's and the history's read-model rows, by table, in a stable order."""
    from sqlalchemy import select

    from infrastructure.projections.history import history_events
    from infrastructure.projections.live_page_tables import page_headers, page_stories, page_updates

    tables = {}
    with services.runner.engine.connect() as connection:
        for table in (page_stories, page_headers, page_updates, history_events):
            rows = connection.execute(select(table)).all()
            tables[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return tables


def _postgres_table_files(store_url: str, schema: str) -> list[Path]:
    import psycopg

    with psycopg.connect(libpq_url(store_url), autocommit=True) as connection:
        connection.execute("CHECKPOINT")
        data_directory = connection.execute("SHOW data_directory").fetchone()[0]  # type: ignore[index]
        rows = connection.execute(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname IN (%s, %s) AND c.relkind IN ('r', 't', 'i') "
            "UNION SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname IN (%s, %s) AND c.reltoastrelid <> 0",
            (schema, f"{schema}_keys", schema, f"{schema}_keys"),
        ).fetchall()
    files = []
    for (relative,) in rows:
        if relative is None:
            continue
        base = Path(data_directory) / relative
        # The relation's file, its 1 GB segments (.1, .2) and its forks (_fsm, _vm, _init); not
        # another relation whose number merely starts with this one's.
        forks = [base, *base.parent.glob(base.name + ".*"), *base.parent.glob(base.name + "_*")]
        files += [p for p in forks if p.is_file() and os.access(p, os.R_OK)]
    return files
