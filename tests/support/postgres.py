"""A fresh PostgreSQL schema per test (or per benchmark store), and the URL psycopg takes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def postgres_schema(base: str, *, prefix: str) -> Iterator[str]:
    """A new schema in the database at `base`, as a newsroom URL; dropped afterwards.

    The tests' `postgres_url` fixture uses it, and the benchmarks' fresh stores.
    """
    import psycopg
    from psycopg.sql import SQL, Identifier

    from infrastructure.store import KEYS_SCHEMA_SUFFIX

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(base), autocommit=True) as connection:
        connection.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}schema={schema}"
    finally:
        with psycopg.connect(libpq_url(base), autocommit=True) as connection:
            connection.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(schema)))
            # The store's key store, if it made one (`infrastructure.key_stores.keys_schema`).
            keys = Identifier(schema + KEYS_SCHEMA_SUFFIX)
            connection.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(keys))


def libpq_url(url: str) -> str:
    """A URL psycopg accepts: no driver suffix, no newsroom query options."""
    return url.replace("postgresql+psycopg://", "postgresql://").split("?")[0]
