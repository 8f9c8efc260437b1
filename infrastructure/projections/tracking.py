"""Tracking: how far each projection has read the store's notification log, kept with its views.

`ReadModelRecorder` is the library's `TrackingRecorder` on SQLAlchemy: a batch of view changes and
the tracking position it came from commit in one transaction, so a crash can neither lose nor
repeat an event, and of two processes applying the same batch the second is rejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, and_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError as DatabaseIntegrityError
from sqlalchemy.exc import OperationalError, ProgrammingError

from infrastructure.projections.database import schema_of, snapshot, writing

tracking_metadata = MetaData()

projection_tracking = Table(
    "projection_tracking",
    tracking_metadata,
    Column("projection", String(64), primary_key=True),
    Column("application_name", String(64), primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
)
"""One row per projection and application: the last notification id its views include (0: none)."""

projection_versions = Table(
    "projection_versions",
    tracking_metadata,
    Column("projection", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)
"""The version of the code that built each projection's tables; another version rebuilds them."""


class TrackingMoved(IntegrityError):
    """Another process applied events since this one read its position; nothing was committed."""


class ReadModelRecorder(TrackingRecorder):
    """A projection's view: its tables and its tracking record, changed in one transaction."""

    def __init__(self, engine: Engine, projection: str) -> None:
        self.engine = engine
        self.projection = projection

    @contextmanager
    def recording(self, tracking: Tracking, *, after: int | None) -> Iterator[Connection]:
        """A write transaction that moves the tracking position to `tracking` first.

        With `after`, the position must still be `after` (a compare-and-set, for batches);
        without it, it must be lower than the new one (the library's rule, for single events).
        Raises `TrackingMoved`, having changed nothing, when another applier got there first.
        """
        with writing(self.engine) as connection:
            self.advance(connection, tracking, after)
            yield connection

    def advance(self, connection: Connection, tracking: Tracking, after: int | None) -> None:
        """Moves the tracking position to `tracking` in the caller's write transaction, as
        `recording` does (raises `TrackingMoved` when another applier got there first)."""
        row = and_(
            projection_tracking.c.projection == self.projection,
            projection_tracking.c.application_name == tracking.application_name,
        )
        if after is None:
            condition = projection_tracking.c.notification_id < tracking.notification_id
        else:
            condition = projection_tracking.c.notification_id == after
        result = connection.execute(
            update(projection_tracking).where(row, condition).values(notification_id=tracking.notification_id)
        )
        if result.rowcount == 1:
            return
        if after in (None, 0) and self._position(connection, tracking.application_name) is None:
            try:
                connection.execute(
                    projection_tracking.insert().values(
                        projection=self.projection,
                        application_name=tracking.application_name,
                        notification_id=tracking.notification_id,
                    )
                )
            except DatabaseIntegrityError:
                raise TrackingMoved(
                    f"projection {self.projection!r} was started by another process"
                ) from None
            return
        raise TrackingMoved(
            f"projection {self.projection!r} is no longer at position {after}: another process "
            f"applied events first (wanted to move to {tracking.notification_id})"
        )

    def insert_tracking(self, tracking: Tracking) -> None:
        """Records a position with no view change (the library's interface)."""
        with self.recording(tracking, after=None):
            pass

    def max_tracking_id(self, application_name: str) -> int | None:
        """The last notification id the views include, or None before the first event."""
        try:
            with snapshot(self.engine) as connection:
                return self._position(connection, application_name)
        except (OperationalError, ProgrammingError):
            if not self.tables_exist():
                return None
            raise

    def _position(self, connection: Connection, application_name: str) -> int | None:
        position = connection.execute(
            select(projection_tracking.c.notification_id).where(
                projection_tracking.c.projection == self.projection,
                projection_tracking.c.application_name == application_name,
            )
        ).scalar_one_or_none()
        return position or None

    def tables_exist(self) -> bool:
        with self.engine.connect() as connection:
            return connection.dialect.has_table(
                connection, projection_tracking.name, schema=schema_of(connection)
            )
