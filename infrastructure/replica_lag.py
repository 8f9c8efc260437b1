"""How far a streaming replica trails its primary, in events and in seconds."""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresApplicationRecorder

_REPLAY_SECONDS = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN NULL
  WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
  ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END AS seconds
"""


@dataclass(frozen=True)
class ReplicaLag:
    """The replica's replay lag: notifications the store has that it has not replayed yet, and the
    age of the last transaction it replayed while more is waiting (0 when it has all it received)."""

    store_position: int
    replica_position: int
    seconds: float

    @property
    def events(self) -> int:
        return max(self.store_position - self.replica_position, 0)


def measure_lag(store: Application, replica: Application) -> ReplicaLag:
    """Reads the replica first, so a write landing in between shows as lag, not as the reverse."""
    recorder = replica.recorder
    assert isinstance(recorder, PostgresApplicationRecorder)
    with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:
        cursor.execute(_REPLAY_SECONDS)
        row = cursor.fetchone()
    replica_position = recorder.max_notification_id() or 0
    store_position = store.recorder.max_notification_id() or 0
    seconds = float(row["seconds"]) if row and row["seconds"] is not None else 0.0
    return ReplicaLag(store_position, replica_position, round(seconds, 3))
