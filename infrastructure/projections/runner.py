"""The projection runner: applies the store's story events to the read models, catching up from
the notification log in batches, rebuilding, or following new events as they are recorded.

Catching up reads the log from the lowest tracked position in batches (the library's
`ProjectionRunner` cannot subscribe to an SQLite store), decodes each story event once and hands
each projection the part it has not applied, with one tracking record per batch. Following a
PostgreSQL store uses the library's LISTEN/NOTIFY subscription; an SQLite store is polled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from queue import Queue
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Notification, Subscription, Tracking
from eventsourcing.utils import get_topic
from sqlalchemy.engine import Engine

from domain.chain import read_for_read_models
from domain.meanings import NAMES_ON_PAGE
from domain.story import STORY_TOPICS
from infrastructure.projections import schema
from infrastructure.projections.history import HistoryProjection
from infrastructure.projections.leases import RETRY_SECONDS as LEASE_RETRY_SECONDS
from infrastructure.projections.leases import Leases, holders
from infrastructure.projections.live_page import LivePageProjection
from infrastructure.projections.notification_log import select_notifications
from infrastructure.projections.projection import Notified, ReadModelProjection, process_batches
from infrastructure.projections.pump import pump, take, without_cycle_collection
from infrastructure.projections.tracking import ReadModelRecorder, TrackingMoved
from infrastructure.store_changes import StoreChanges

PROJECTIONS: tuple[type[ReadModelProjection], ...] = (LivePageProjection, HistoryProjection)
PROJECTION_NAMES = tuple(cls.name for cls in PROJECTIONS)
BATCH_SIZE = 2000
"""Events per transaction: big enough that commits do not dominate, small enough to stop promptly."""
POLL_SECONDS = 0.5
QUIET_SECONDS = 1.0
"""How long a subscription may bring nothing before the follower asks the store whether it
missed something: the library's subscription pulls what is recorded, then starts listening, so a
commit between the two is announced to nobody."""
_TOPICS = sorted(STORY_TOPICS)
_NAMING = frozenset(get_topic(cls) for cls in NAMES_ON_PAGE)
"""The events whose names a read model keeps: every other event's are left sealed."""

Progress = Callable[[int, int], None]
"""Called after each batch with the lowest tracked position and the position being caught up to."""


def _after(events: list[Notified], position: int) -> list[Notified]:
    """The events past `position`: all of them, as a rule (a projection behind the others is
    rare), with no need to look at each."""
    if not events or events[0].position > position:
        return events
    return [e for e in events if e.position > position]


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
    holder: str | None = None
    """The follower applying it now (PostgreSQL), if one is running."""

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


class ProjectionRunner:
    """Keeps the live-page and history read models of one store current with its events."""

    def __init__(
        self,
        app: Application[Any],
        engine: Engine,
        *,
        batch_size: int = BATCH_SIZE,
        before_commit: Callable[[], None] | None = None,
        forgetting: Callable[[int], object] | None = None,
        store_path: Path | None = None,
    ) -> None:
        self.app = app
        self.store_path = store_path
        """An SQLite store's file, whose changes wake a follower (`store_changes`)."""
        self.engine = engine
        self.batch_size = batch_size
        self.before_commit = before_commit
        self.forgetting = forgetting
        """Called with the position a batch runs to, before the batch is decoded (caught up or
        followed): it forgets the keys that takedowns and erasures recorded since destroyed
        (`infrastructure.forgetting`), so that no batch (a rebuild's included) opens them."""
        self.projections: dict[str, ReadModelProjection] = {
            cls.name: cls(ReadModelRecorder(engine, cls.name)) for cls in PROJECTIONS
        }
        self._prepared = False

    def prepare(self) -> None:
        """Creates the tables, and rebuilds any projection built by another version of its code."""
        if not self._prepared:
            schema.prepare(self.engine, list(self.projections.values()), self.app.name)
            self._prepared = True

    def catch_up(
        self,
        names: Iterable[str] | None = None,
        *,
        stop: threading.Event | None = None,
        on_progress: Progress | None = None,
        target: int | None = None,
    ) -> int:
        """Applies every event recorded so far (or up to the notification id `target`); returns how
        far the lowest position moved.

        Only the story events are read (`topics`): other aggregates' notifications are skipped by
        the query, and the tracking moves past them with the batch that follows them, or with
        the last batch up to the position caught up to. (With no gaps in notification ids, the
        number returned is the number of notifications caught up with.)
        """
        self.prepare()
        projections = self._selected(names)
        positions = self._positions(projections)
        if target is None:
            target = self.app.recorder.max_notification_id() or 0
        started = min(positions.values(), default=target)
        while not (stop is not None and stop.is_set()):
            start = min(positions.values())
            if start >= target:
                break
            notifications = select_notifications(
                self.app.recorder, start, self.batch_size, stop=target, topics=_TOPICS
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
        schema.reset_all(self.engine, projections, self.app.name)
        return self.catch_up(names, stop=stop, on_progress=on_progress)

    def follow(
        self,
        stop: threading.Event,
        *,
        poll_seconds: float = POLL_SECONDS,
        on_progress: Progress | None = None,
        every_round: Callable[[], object] | None = None,
    ) -> None:
        """Keeps applying new events until `stop` is set; stops between transactions.
        `every_round` is called after each catch-up and each wait for news (the publisher).

        On PostgreSQL each projection is applied by one follower at a time (`leases`): this one
        applies those it holds, and as a standby waits for the others to be released."""
        projections = self._selected(None)
        leases = Leases(self.engine, list(self.projections)) if self._supervised() else None
        try:
            self._follow(stop, projections, leases, poll_seconds, on_progress, every_round or (lambda: None))
        finally:
            if leases is not None:
                leases.release()

    def _follow(
        self,
        stop: threading.Event,
        projections: list[ReadModelProjection],
        leases: Leases | None,
        poll_seconds: float,
        on_progress: Progress | None,
        every_round: Callable[[], object],
    ) -> None:
        changes: StoreChanges | None = None
        while not stop.is_set():
            if leases is not None:
                held = leases.acquire()
                if not held:
                    every_round()  # publishing needs no projection: a standby publishes too
                    stop.wait(LEASE_RETRY_SECONDS)
                    continue
                projections = self._selected(sorted(held))
            self.catch_up([p.name for p in projections], stop=stop, on_progress=on_progress)
            every_round()
            positions = self._positions(projections)
            try:
                subscription = self.app.recorder.subscribe(gt=min(positions.values()))
            except NotImplementedError:
                # SQLite has no notifications to listen for: woken by a change to its files, or poll.
                if changes is None:
                    changes = StoreChanges(self.store_path, stop)
                changes.wait(poll_seconds)
                continue
            with subscription:
                self._consume(subscription, projections, positions, stop, every_round, leases)

    def status(self) -> list[ProjectionStatus]:
        store_position = self.app.recorder.max_notification_id() or 0
        built = schema.built_versions(self.engine, list(self.projections.values()))
        held = holders(self.engine, list(self.projections)) if self._supervised() else {}
        return [
            ProjectionStatus(
                name=p.name,
                version=p.version,
                built_version=built.get(p.name),
                position=(p.view.max_tracking_id(self.app.name) or 0) if p.name in built else 0,
                store_position=store_position,
                holder=held.get(p.name),
            )
            for p in self.projections.values()
        ]

    def position(self) -> int:
        """The lowest position the read models are tracked at: all of them have applied up to it."""
        return min((s.position for s in self.status()), default=0)

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
        with without_cycle_collection():
            return self._apply_batch(notifications, projections, positions, through)

    def _apply_batch(
        self,
        notifications: Sequence[Notification],
        projections: Sequence[ReadModelProjection],
        positions: dict[str, int],
        through: int | None,
    ) -> bool:
        last = max(notifications[-1].id if notifications else 0, through or 0)
        if self.forgetting is not None:
            self.forgetting(last)
        mapper = self.app.mapper
        with read_for_read_models(_NAMING):
            events = [
                Notified(n.id, mapper.to_domain_event(n))  # type: ignore[arg-type]
                for n in notifications
                if n.topic in STORY_TOPICS
            ]
        tracking = Tracking(self.app.name, last)
        due = [p for p in projections if positions[p.name] < last]
        if not due:
            return True
        batches = [(p, _after(events, positions[p.name]), positions[p.name]) for p in due]
        try:
            process_batches(batches, tracking, before_commit=self.before_commit)
        except TrackingMoved:
            for projection in due:
                positions[projection.name] = projection.view.max_tracking_id(self.app.name) or 0
            return False
        for projection in due:
            positions[projection.name] = last
        return True

    def _consume(
        self,
        subscription: Subscription[Any],
        projections: Sequence[ReadModelProjection],
        positions: dict[str, int],
        stop: threading.Event,
        every_round: Callable[[], object],
        leases: Leases | None = None,
    ) -> None:
        """Applies what the subscription yields, a batch at a time, until `stop` is set.

        Returns early, to be subscribed again from fresh positions, when another process moved
        a projection (the events already taken from the subscription no longer line up).
        """
        queue: Queue[Notification] = Queue(maxsize=self.batch_size * 4)
        halt = threading.Event()
        errors: list[BaseException] = []
        pumping = threading.Thread(target=pump, args=(subscription, queue, halt, errors), daemon=True)
        pumping.start()
        heard = time.monotonic()
        try:
            while not stop.is_set():
                if leases is not None and leases.gained_more():
                    return  # subscribed again with the projections taken over
                batch = take(queue, self.batch_size)
                if batch:
                    heard = time.monotonic()
                    if not self._apply(batch, projections, positions):
                        return
                elif time.monotonic() - heard > QUIET_SECONDS:
                    heard = time.monotonic()
                    if self._missed(positions):
                        return  # subscribed again from the positions: catches up what was missed
                every_round()
                if not batch and not pumping.is_alive():
                    if errors:
                        raise errors[0]
                    return
        finally:
            halt.set()
            subscription.stop()
            pumping.join()

    def _missed(self, positions: dict[str, int]) -> bool:
        """Whether the store holds notifications past a position that nothing is bringing."""
        return (self.app.recorder.max_notification_id() or 0) > min(positions.values(), default=0)

    def _supervised(self) -> bool:
        return self.engine.dialect.name == "postgresql"

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
