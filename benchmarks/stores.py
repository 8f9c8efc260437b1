"""Fresh stores for one benchmark: an SQLite file in a temporary folder, or a new PostgreSQL schema."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from infrastructure.store import parse_url
from tests.support.postgres import postgres_schema

POSTGRES_URL_VAR = "NEWSROOM_TEST_POSTGRES"
SQLITE, POSTGRES = "sqlite", "postgresql"


@dataclass(frozen=True)
class Store:
    """A newsroom database URL, and the folder beside it where baselines may keep their own files."""

    backend: str
    url: str
    folder: str

    def library_env(self, name: str) -> dict[str, str]:
        """The newsroom's own store settings, for a bare library application named `name`.

        SQLite gets its own file in the same folder (the library names the table the same for every
        application); PostgreSQL the same schema, where the library names the tables after `name`.
        """
        env = dict(parse_url(self.url).env)
        if self.backend == SQLITE:
            env["SQLITE_DBNAME"] = os.path.join(self.folder, f"{name.lower()}.db")
        return env


def available_backends(*, postgres_url: str | None = None) -> list[str]:
    """SQLite always; PostgreSQL where NEWSROOM_TEST_POSTGRES names a server."""
    url = postgres_url if postgres_url is not None else os.environ.get(POSTGRES_URL_VAR, "")
    return [SQLITE, POSTGRES] if url else [SQLITE]


@contextmanager
def fresh_store(backend: str) -> Iterator[Store]:
    """A new empty store on `backend`, removed afterwards."""
    folder = tempfile.mkdtemp(prefix="newsroom-bench-")
    try:
        if backend == SQLITE:
            yield Store(SQLITE, f"sqlite:///{folder}/newsroom.db", folder)
        else:
            with postgres_schema(os.environ[POSTGRES_URL_VAR], prefix="bench") as url:
                yield Store(POSTGRES, url, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
