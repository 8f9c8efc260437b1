"""The read models' tables as built: which version of each projection built them, creating them,
and rebuilding a projection whose code has a new version (no migrations: a rebuild)."""

from __future__ import annotations

from sqlalchemy import MetaData, Table, delete, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from infrastructure.projections.database import lock_for_setup, snapshot, writing
from infrastructure.projections.projection import ReadModelProjection
from infrastructure.projections.tracking import projection_tracking, projection_versions, tracking_metadata


def built_versions(engine: Engine, projections: list[ReadModelProjection]) -> dict[str, int]:
    """The version each projection's tables were built by; empty before any were built."""
    try:
        with snapshot(engine) as connection:
            return _built_versions_on(connection)
    except (OperationalError, ProgrammingError):
        if not projections[0].view.tables_exist():
            return {}
    # Another process created the tables between the two looks: read them now.
    with snapshot(engine) as connection:
        return _built_versions_on(connection)


def _built_versions_on(connection: Connection) -> dict[str, int]:
    rows = connection.execute(select(projection_versions.c.projection, projection_versions.c.version))
    return {name: version for name, version in rows}


def stale(projections: list[ReadModelProjection], built: dict[str, int]) -> list[ReadModelProjection]:
    return [p for p in projections if built.get(p.name) != p.version]


def prepare(engine: Engine, projections: list[ReadModelProjection], application_name: str) -> None:
    """Creates the tables, and rebuilds any projection built by another version of its code."""
    if stale(projections, built_versions(engine, projections)):
        with writing(engine) as connection:
            lock_for_setup(connection)
            tracking_metadata.create_all(connection)
            for projection in stale(projections, _built_versions_on(connection)):
                reset(connection, projection, application_name)


def reset_all(engine: Engine, projections: list[ReadModelProjection], application_name: str) -> None:
    """Empties these projections, in one transaction."""
    with writing(engine) as connection:
        lock_for_setup(connection)
        for projection in projections:
            reset(connection, projection, application_name)


def reset(connection: Connection, projection: ReadModelProjection, application_name: str) -> None:
    """Empties a projection: new tables, its version recorded, its position before the first event."""
    projection.metadata.drop_all(connection)
    for retired in projection.retired_tables:
        Table(retired, MetaData()).drop(connection, checkfirst=True)
    projection.metadata.create_all(connection)
    name = projection.name
    connection.execute(delete(projection_versions).where(projection_versions.c.projection == name))
    connection.execute(projection_versions.insert().values(projection=name, version=projection.version))
    connection.execute(delete(projection_tracking).where(projection_tracking.c.projection == name))
    connection.execute(
        projection_tracking.insert().values(
            projection=name, application_name=application_name, notification_id=0
        )
    )
