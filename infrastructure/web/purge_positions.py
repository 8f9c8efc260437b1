"""How far the caches in front of the readers' web were told what went stale: for each cache
(named by a digest of its purge URL), each story's version and the store's erasure count up to
which its purges succeeded. Kept with the read models, so a purge that could not be sent before a
restart is sent after it; a position only moves forward (several servers may purge one cache)."""

from __future__ import annotations

import hashlib

from sqlalchemy import BigInteger, Column, MetaData, String, Table, and_, select, update
from sqlalchemy.engine import Engine

from infrastructure.projections.database import lock_for_setup, snapshot, writing

purge_metadata = MetaData()

cache_purges = Table(
    "cache_purges",
    purge_metadata,
    Column("cache", String(32), primary_key=True),
    Column("name", String(96), primary_key=True),
    Column("position", BigInteger, nullable=False),
)
"""One row per cache and story (`story:SLUG`, the story version purged up to) and one for the
erasures (`erasures`, the count purged up to)."""

ERASURES = "erasures"


def story_row(slug: str) -> str:
    return f"story:{slug}"


class PurgePositions:
    """The positions of one cache (the purge URL's)."""

    def __init__(self, engine: Engine, cache_url: str) -> None:
        self.engine = engine
        self.cache = hashlib.sha256(cache_url.encode()).hexdigest()[:32]
        self._created = False

    def read(self) -> dict[str, int] | None:
        """Every position kept for the cache; None if it was never purged (no row yet)."""
        self._create()
        with snapshot(self.engine) as connection:
            rows = connection.execute(
                select(cache_purges.c.name, cache_purges.c.position).where(cache_purges.c.cache == self.cache)
            ).all()
        return {name: position for name, position in rows} if rows else None

    def advance(self, positions: dict[str, int]) -> None:
        """Moves each named position forward to the value given (never back)."""
        self._create()
        with writing(self.engine) as connection:
            for name, position in positions.items():
                row = and_(cache_purges.c.cache == self.cache, cache_purges.c.name == name)
                connection.execute(
                    update(cache_purges)
                    .where(row, cache_purges.c.position < position)
                    .values(position=position)
                )
                known = connection.execute(select(cache_purges.c.position).where(row)).scalar_one_or_none()
                if known is None:
                    connection.execute(
                        cache_purges.insert().values(cache=self.cache, name=name, position=position)
                    )

    def _create(self) -> None:
        if not self._created:
            with writing(self.engine) as connection:
                lock_for_setup(connection)  # another server may be creating it at the same moment
                purge_metadata.create_all(connection, checkfirst=True)
            self._created = True
