"""Reading a store from a PostgreSQL streaming replica (a hot standby).

A standby refuses `LISTEN`, so the library's subscription cannot follow one. `StandbyRecorder`
is the library's PostgreSQL application recorder with a subscription that polls instead (every
`poll_seconds`, default 50 ms); the library's own pulling (from the last notification id seen,
in order, gaps handled as on the primary) is unchanged. It is chosen through the library's
setting, `APPLICATION_RECORDER_TOPIC=infrastructure.standby:StandbyRecorder`, with
`CREATE_TABLE=n`. A standby is never written to: with a `primary` recorder attached, writes go
there and return once the replica has replayed them (read-your-writes); without one they are
refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import (
    ApplicationRecorder,
    ListenNotifySubscription,
    PersistenceError,
    StoredEvent,
    Subscription,
)
from eventsourcing.postgres import PostgresApplicationRecorder

from infrastructure.store import StoreConfig, StoreUnavailable

POLL_SECONDS = 0.05
REPLAY_TIMEOUT_SECONDS = 30.0
TOPIC = "infrastructure.standby:StandbyRecorder"


class ReplicaReadOnly(PersistenceError):
    """A write was sent to a replica, which takes none."""


class ReplicaBehind(PersistenceError):
    """The replica had not replayed a position in time; nothing read from it is presented as fresh."""

    def __init__(self, wanted: int, reached: int, seconds: float) -> None:
        self.wanted = wanted
        self.reached = reached
        self.seconds = seconds
        super().__init__(
            f"the replica had not replayed notification {wanted} after {seconds:g} s (it is at {reached})"
        )


class StandbyRecorder(PostgresApplicationRecorder):
    """The application recorder on a hot standby: reads, and follows by polling."""

    poll_seconds: float = POLL_SECONDS
    primary: ApplicationRecorder | None = None
    """Where writes go, if anywhere (tests of the recorder; never the newsroom's own processes)."""
    replay_timeout: float = REPLAY_TIMEOUT_SECONDS

    def create_table(self) -> None:
        if self.primary is None:
            raise ReplicaReadOnly("a replica's tables are made on its primary: open it with CREATE_TABLE=n")
        assert isinstance(self.primary, PostgresApplicationRecorder)
        self.primary.create_table()

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if self.primary is None:
            raise ReplicaReadOnly("the replica takes no writes: write to the primary (--db)")
        ids = self.primary.insert_events(stored_events, **kwargs)
        if ids:
            self.wait_for(max(ids), self.replay_timeout)
        return ids

    def wait_for(self, notification_id: int, timeout: float) -> None:
        """Returns once the replica has replayed `notification_id`; raises `ReplicaBehind` after
        `timeout` seconds. Commits replay in order, so everything before it is there too."""
        deadline = time.monotonic() + timeout
        while True:
            reached = self.max_notification_id() or 0
            if reached >= notification_id:
                return
            if time.monotonic() >= deadline:
                raise ReplicaBehind(notification_id, reached, timeout)
            time.sleep(min(self.poll_seconds, 0.01))

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(self, gt=gt, topics=topics, poll_seconds=self.poll_seconds)


class PollingSubscription(ListenNotifySubscription[StandbyRecorder]):
    """The library's pulling subscription, woken by a clock instead of by NOTIFY."""

    def __init__(
        self, recorder: StandbyRecorder, gt: int | None, topics: Sequence[str], poll_seconds: float
    ) -> None:
        self._poll_seconds = poll_seconds
        self._stopped = threading.Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._ticker.start()

    def stop(self) -> None:
        self._stopped.set()
        super().stop()

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            self._ticker.join()

    def _tick(self) -> None:
        while not self._stopped.wait(self._poll_seconds):
            self._has_been_notified.set()


def replica_env(config: StoreConfig) -> dict[str, str]:
    """The library's settings for reading a store from its streaming replica: the standby
    recorder (it polls: a standby refuses LISTEN), and no DDL."""
    if config.backend != "postgresql":
        raise StoreUnavailable(
            f"--read-db {config.url!r} is not PostgreSQL: a read replica is a PostgreSQL streaming replica"
        )
    return {**config.env, "CREATE_TABLE": "n", "APPLICATION_RECORDER_TOPIC": TOPIC}
