"""Supervised followers: one PostgreSQL advisory lock per projection, so that of any number of
`projections run --follow` processes exactly one applies each projection; the others wait as
standbys and take a projection over as soon as its holder's session ends (a crash, a SIGKILL, a
lost machine: the server releases the lock with the connection).

Each lock is held on one dedicated connection named for the process (`application_name`), which
is how `projections status` shows the holder. The tracking compare-and-set stays the last guard:
even two holders could not apply one event twice.
"""

from __future__ import annotations

import os
import socket
import time

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from infrastructure.projections.database import schema_of

RETRY_SECONDS = 0.5
"""How often a standby tries to take a projection over."""

_TRY = text("SELECT pg_try_advisory_lock(hashtext(:space), hashtext(:name))")
_HOLDERS = text(
    """
    SELECT n.name, a.application_name
    FROM unnest(CAST(:names AS text[])) AS n(name)
    JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.classid = CAST(CAST(hashtext(:space) AS bigint) & 4294967295 AS oid)
     AND l.objid = CAST(CAST(hashtext(n.name) AS bigint) & 4294967295 AS oid)
    JOIN pg_stat_activity a ON a.pid = l.pid
    """
)


def follower_name() -> str:
    """How a follower is shown as a holder: host and process id."""
    return f"newsroom follower {socket.gethostname()}:{os.getpid()}"


class Leases:
    """The projections this process may apply, each by its advisory lock."""

    def __init__(self, engine: Engine, names: list[str]) -> None:
        self.engine = engine
        self.names = names
        self.held: set[str] = set()
        self._connection: Connection | None = None
        self._last_try = 0.0

    def acquire(self) -> set[str]:
        """Tries to take every projection not held yet; returns those held now."""
        self._last_try = time.monotonic()
        connection = self._lock_connection()
        for name in self.names:
            if name not in self.held and connection.execute(_TRY, _key(self.engine, name)).scalar():
                self.held.add(name)
        return set(self.held)

    def gained_more(self) -> bool:
        """At most every `RETRY_SECONDS`, tries for the projections not held; True if any was taken."""
        if len(self.held) == len(self.names) or time.monotonic() - self._last_try < RETRY_SECONDS:
            return False
        before = len(self.held)
        return len(self.acquire()) > before

    def release(self) -> None:
        if self._connection is not None:
            # Closing the session releases its locks; the connection is not pooled again.
            self._connection.invalidate()
            self._connection.close()
            self._connection = None
        self.held.clear()

    def _lock_connection(self) -> Connection:
        if self._connection is None:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(
                text("SELECT set_config('application_name', :name, false)"), {"name": follower_name()}
            )
            self._connection = connection
        return self._connection


def holders(engine: Engine, names: list[str]) -> dict[str, str]:
    """Each held projection's holder (a follower's name); PostgreSQL only."""
    with engine.connect() as connection:
        rows = connection.execute(_HOLDERS, {"names": names, "space": _space(engine)}).all()
    return {name: holder for name, holder in rows}


def _key(engine: Engine, name: str) -> dict[str, str]:
    return {"space": _space(engine), "name": name}


def _space(engine: Engine) -> str:
    schema = schema_of(engine)
    return f"newsroom projections in {schema}"
