"""Whether the stored read models are current, told without building the application: one snapshot
of the store's last notification id, each projection's tracked position and the version of the code
that built its tables. A read on current read models needs nothing else (`Services.caught_up`)."""

from __future__ import annotations

from sqlalchemy import Integer, Select, column, func, select, table
from sqlalchemy.engine import Engine

from infrastructure.projections.database import snapshot
from infrastructure.projections.tracking import projection_tracking, projection_versions
from infrastructure.projections.versions import PROJECTION_VERSIONS
from infrastructure.store import StoreConfig


def read_models_current(engine: Engine, config: StoreConfig) -> bool:
    """True if every projection was built by this code and has applied every notification of the
    store (whose events live in the same database as `engine`). Raises the driver's error if the
    store or the read models have no tables yet."""
    with snapshot(engine) as connection:
        store_position = connection.execute(_last_notification(config)).scalar() or 0
        versions = select(projection_versions.c.projection, projection_versions.c.version)
        built: dict[str, int] = {name: version for name, version in connection.execute(versions)}
        tracked = connection.execute(
            select(projection_tracking.c.projection, projection_tracking.c.notification_id)
        ).all()
    positions: dict[str, int] = {}
    for name, position in tracked:
        positions[name] = min(position, positions.get(name, position))
    return all(
        built.get(name) == version and positions.get(name, -1) >= store_position
        for name, version in PROJECTION_VERSIONS.items()
    )


def _last_notification(config: StoreConfig) -> Select[tuple[int]]:
    """The library's own query for the store's last notification id (its table named by
    SQLAlchemy's quoting)."""
    if config.backend == "sqlite":
        position, events = column("rowid", Integer), table(config.events_table)
    else:
        position = column("notification_id", Integer)
        events = table(config.events_table, schema=config.postgres_schema)
    return select(func.max(position)).select_from(events)
