"""The read side of one store: runs the projections over the notification log and reads their views.

Catching up reads the log from the lowest tracked position in batches (the library's
`ProjectionRunner` cannot subscribe to an SQLite store), decodes each story event once and hands
each projection the part it has not applied, with one tracking record per batch. Following a
PostgreSQL store uses the library's LISTEN/NOTIFY subscription; an SQLite store is polled.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from queue import Empty, Full, Queue
from typing import Any

from eventsourcing.persistence import Notification, Subscription, Tracking
from sqlalchemy import MetaData, Table, delete, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from domain.application import Newsroom
from domain.story import STORY_TOPICS
from infrastructure.projections.database import lock_for_setup, memory_engine, snapshot, writing
from infrastructure.projections.history import HistoryProjection
from infrastructure.projections.live_page import LivePageProjection
from infrastructure.projections.projection import Notified, ReadModelProjection
from infrastructure.projections.queries import ReadQueries
from infrastructure.projections.tracking import (
    ReadModelRecorder,
    TrackingMoved,
    projection_tracking,
    projection_versions,
    tracking_metadata,
)

PROJECTIONS: tuple[type[ReadModelProjection], ...] = (LivePageProjection, HistoryProjection)
PROJECTION_NAMES = tuple(cls.name for cls in PROJECTIONS)
BATCH_SIZE = 2000
"""Events per transaction: big enough that commits do not dominate, small enough to stop promptly."""
POLL_SECONDS = 0.5
_TOPICS = sorted(STORY_TOPICS)

Progress = Callable[[int, int], None]
"""Called after each batch with the lowest tracked position and the position being caught up to."""


class UnknownProjection(LookupError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no projection named {name!r}; the projections are {', '.join(PROJECTION_NAMES)}")


@dataclass(frozen=True)
class ProjectionStatus:
    """Where one projection stands against the store."""

    name: str
    version: int
    built_version: int | None
    position: int
    store_position: int

    @property
    def lag(self) -> int:
        """Notification ids between the tracked position and the store's last (gaps included)."""
        return max(self.store_position - self.position, 0)

    @property
    def state(self) -> str:
        if self.built_version is None:
            return "not built"
        if self.built_version != self.version:
            return "needs rebuild"
        return "behind" if self.lag else "up to date"


class ReadModels:
    """The live-page and history read models of one store, and the means to keep them current."""

    def __init__(
        self,
        app: Newsroom,
        engine: Engine,
        *,
        batch_size: int = BATCH_SIZE,
        read_only: bool = False,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.engine = engine
        self.batch_size = batch_size
        self.read_only = read_only
        self.before_commit = before_commit
        self.in_memory = False
        self.projections: dict[str, ReadModelProjection] = {
            cls.name: cls(ReadModelRecorder(engine, cls.name)) for cls in PROJECTIONS
        }
        self._prepared = False

    # Reading.

    @property
    def queries(self) -> ReadQueries:
        return ReadQueries(self.engine, self.app.mapper.to_domain_event)

    def up_to_date(self) -> ReadModels:
        """These read models, caught up with the store.

        A read-only store cannot take the catching up: if its read models lag, built or not,
        a copy is built in memory for this command instead (`in_memory` is then true).
        """
        if not self.read_only:
            self.catch_up()
            return self
        if all(s.state == "up to date" for s in self.status()):
            return self
        copy = ReadModels(self.app, memory_engine(), batch_size=self.batch_size)
        copy.in_memory = True
        copy.catch_up()
        return copy

    # Running.

    def prepare(self) -> None:
        """Creates the tables, and rebuilds any projection built by another version of its code."""
        if self._prepared:
            return
        if self._stale(self._built_versions()):
            with writing(self.engine) as connection:
                lock_for_setup(connection)
                tracking_metadata.create_all(connection)
                for projection in self._stale(self._built_versions_on(connection)):
                    self._reset(connection, projection)
        self._prepared = True

    def catch_up(
        self,
        names: Iterable[str] | None = None,
        *,
        stop: threading.Event | None = None,
        on_progress: Progress | None = None,
    ) -> int:
        """Applies every event recorded so far; returns how far the lowest position moved.

        Only the story events are read (`topics`): other aggregates' notifications are skipped by
        the query, and the tracking moves past them with the batch that follows them, or with
        the last batch up to the position caught up to. (With no gaps in notification ids, the
        number returned is the number of notifications caught up with.)
        """
        self.prepare()
        projections = self._selected(names)
        positions = self._positions(projections)
        target = self.app.recorder.max_notification_id() or 0
        started = min(positions.values(), default=target)
        while not (stop is not None and stop.is_set()):
            start = min(positions.values())
            if start >= target:
                break
            notifications = self.app.recorder.select_notifications(
                start, self.batch_size, stop=target, topics=_TOPICS, inclusive_of_start=False
            )
            # A short batch holds every story event up to the target: the tracking can move there.
            through = notifications[-1].id if len(notifications) == self.batch_size else target
            self._apply(notifications, projections, positions, through=through)
            if on_progress is not None:
                on_progress(min(positions.values()), target)
        return max(min(positions.values()) - started, 0)

    def rebuild(
        self,
        names: Iterable[str] | None = None,
        *,
        stop: threading.Event | None = None,
        on_progress: Progress | None = None,
    ) -> int:
        """Drops the projections' tables and applies every event again from the first."""
        projections = self._selected(names)
        self.prepare()
        with writing(self.engine) as connection:
            lock_for_setup(connection)
            for projection in projections:
                self._reset(connection, projection)
        return self.catch_up(names, stop=stop, on_progress=on_progress)

    def follow(
        self,
        stop: threading.Event,
        *,
        poll_seconds: float = POLL_SECONDS,
        on_progress: Progress | None = None,
    ) -> None:
        """Keeps applying new events until `stop` is set; stops between transactions."""
        projections = self._selected(None)
        while not stop.is_set():
            self.catch_up(stop=stop, on_progress=on_progress)
            positions = self._positions(projections)
            try:
                subscription = self.app.recorder.subscribe(gt=min(positions.values()))
            except NotImplementedError:
                # SQLite has no notifications to listen for: poll.
                stop.wait(poll_seconds)
                continue
            with subscription:
                self._consume(subscription, projections, positions, stop)

    def status(self) -> list[ProjectionStatus]:
        store_position = self.app.recorder.max_notification_id() or 0
        built = self._built_versions()
        return [
            ProjectionStatus(
                name=p.name,
                version=p.version,
                built_version=built.get(p.name),
                position=(p.view.max_tracking_id(self.app.name) or 0) if p.name in built else 0,
                store_position=store_position,
            )
            for p in self.projections.values()
        ]

    def close(self) -> None:
        self.engine.dispose()

    # Applying events.

    def _apply(
        self,
        notifications: Sequence[Notification],
        projections: Sequence[ReadModelProjection],
        positions: dict[str, int],
        *,
        through: int | None = None,
    ) -> bool:
        """Applies a contiguous run of notifications to each projection not already past them.

        The run ends at its last notification, or at `through` when the caller knows that no
        story event lies between the two. Every projection's position must lie within or before
        the run. Returns False if another process moved a projection meanwhile: its position is
        then read again, nothing is applied twice, and the caller must carry on from the
        positions as they now are.
        """
        with _without_cycle_collection():
            return self._apply_batch(notifications, projections, positions, through)

    def _apply_batch(
        self,
        notifications: Sequence[Notification],
        projections: Sequence[ReadModelProjection],
        positions: dict[str, int],
        through: int | None,
    ) -> bool:
        last = max(notifications[-1].id if notifications else 0, through or 0)
        mapper = self.app.mapper
        events = [
            Notified(n.id, mapper.to_domain_event(n), n.topic, n.state)  # type: ignore[arg-type]
            for n in notifications
            if n.topic in STORY_TOPICS
        ]
        tracking = Tracking(self.app.name, last)
        undisturbed = True
        for projection in projections:
            position = positions[projection.name]
            if position >= last:
                continue
            pending = [e for e in events if e.position > position]
            try:
                projection.process_batch(pending, tracking, after=position, before_commit=self.before_commit)
            except TrackingMoved:
                positions[projection.name] = projection.view.max_tracking_id(self.app.name) or 0
                undisturbed = False
            else:
                positions[projection.name] = last
        return undisturbed

    def _consume(
        self,
        subscription: Subscription[Any],
        projections: Sequence[ReadModelProjection],
        positions: dict[str, int],
        stop: threading.Event,
    ) -> None:
        """Applies what the subscription yields, a batch at a time, until `stop` is set.

        Returns early, to be subscribed again from fresh positions, when another process moved
        a projection (the events already taken from the subscription no longer line up).
        """
        queue: Queue[Notification] = Queue(maxsize=self.batch_size * 4)
        halt = threading.Event()
        errors: list[BaseException] = []
        pump = threading.Thread(target=_pump, args=(subscription, queue, halt, errors), daemon=True)
        pump.start()
        try:
            while not stop.is_set():
                batch = _take(queue, self.batch_size)
                if batch and not self._apply(batch, projections, positions):
                    return
                if not batch and not pump.is_alive():
                    if errors:
                        raise errors[0]
                    return
        finally:
            halt.set()
            subscription.stop()
            pump.join()

    # Setting up.

    def _selected(self, names: Iterable[str] | None) -> list[ReadModelProjection]:
        if names is None:
            return list(self.projections.values())
        selected = []
        for name in names:
            if name not in self.projections:
                raise UnknownProjection(name)
            selected.append(self.projections[name])
        return selected

    def _positions(self, projections: Sequence[ReadModelProjection]) -> dict[str, int]:
        return {p.name: p.view.max_tracking_id(self.app.name) or 0 for p in projections}

    def _stale(self, built: dict[str, int]) -> list[ReadModelProjection]:
        return [p for p in self.projections.values() if built.get(p.name) != p.version]

    def _built_versions(self) -> dict[str, int]:
        """The version each projection's tables were built by; empty before any were built."""
        try:
            with snapshot(self.engine) as connection:
                return self._built_versions_on(connection)
        except (OperationalError, ProgrammingError):
            if not self._tracking_tables_exist():
                return {}
        # Another process created the tables between the two looks: read them now.
        with snapshot(self.engine) as connection:
            return self._built_versions_on(connection)

    @staticmethod
    def _built_versions_on(connection: Connection) -> dict[str, int]:
        rows = connection.execute(select(projection_versions.c.projection, projection_versions.c.version))
        return {name: version for name, version in rows}

    def _tracking_tables_exist(self) -> bool:
        return next(iter(self.projections.values())).view.tables_exist()

    def _reset(self, connection: Connection, projection: ReadModelProjection) -> None:
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
                projection=name, application_name=self.app.name, notification_id=0
            )
        )


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Applies a batch without the cycle collector running meanwhile.

    A batch makes tens of thousands of small objects that live until it ends (events, rows, JSON),
    and each collection would scan them again and again: a third of building the history rows.
    Nothing in a batch needs cycles collected; they are, as usual, once the batch is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pump(
    subscription: Subscription[Any],
    queue: Queue[Notification],
    halt: threading.Event,
    errors: list[BaseException],
) -> None:
    """Moves notifications from the subscription to the queue until halted."""
    try:
        for notification in subscription:
            while True:
                if halt.is_set():
                    return
                try:
                    queue.put(notification, timeout=0.1)
                    break
                except Full:
                    continue
    except BaseException as error:  # handed to the consuming thread, which raises it
        errors.append(error)


def _take(queue: Queue[Notification], limit: int, timeout: float = 0.2) -> list[Notification]:
    """Up to `limit` notifications: waits for the first, then takes what is already there."""
    try:
        batch = [queue.get(timeout=timeout)]
    except Empty:
        return []
    while len(batch) < limit:
        try:
            batch.append(queue.get_nowait())
        except Empty:
            break
    return batch
