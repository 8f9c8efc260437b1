"""Reading the store's notification log for the read models: the library's query, in binary on
PostgreSQL.

The library's PostgreSQL recorder fetches rows in psycopg's text format, in which the server
writes each event's `bytea` state as hex and the client parses it back: the largest part of
fetching a row (6.5 of 14 µs a row for a 1,072-byte post; 2.9 µs in binary). The runner reads the
whole log on a rebuild, so it asks for the same rows, by the same query, in the binary format.
Any other store is read by its recorder's own `select_notifications`; an SQLite process never
imports psycopg here (a read command that catches up would pay ~70 ms for it).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventsourcing.persistence import ApplicationRecorder, InterfaceError, Notification, OperationalError
from eventsourcing.utils import retry

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresApplicationRecorder


def select_notifications(
    recorder: ApplicationRecorder, start: int, limit: int, *, stop: int, topics: Sequence[str]
) -> Sequence[Notification]:
    """Up to `limit` notifications of `topics` after `start` (exclusive), up to `stop` (inclusive),
    in order: `recorder.select_notifications(start, limit, stop=stop, topics=topics,
    inclusive_of_start=False)`."""
    postgres = sys.modules.get("eventsourcing.postgres")  # imported already if the store is PostgreSQL
    if postgres is not None and type(recorder) is postgres.PostgresApplicationRecorder:
        return _binary(recorder, start, limit, stop, list(topics))
    return recorder.select_notifications(start, limit, stop=stop, topics=topics, inclusive_of_start=False)


@retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's own select
def _binary(
    recorder: PostgresApplicationRecorder, start: int, limit: int, stop: int, topics: list[str]
) -> list[Notification]:
    from psycopg.sql import SQL, Identifier

    statement = SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state FROM {schema}.{table}"
        " WHERE notification_id>%s AND notification_id<=%s AND topic = ANY(%s)"
        " ORDER BY notification_id LIMIT %s"
    ).format(schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as connection, connection.cursor(binary=True) as cursor:
        cursor.execute(statement, (start, stop, topics, limit), prepare=True)
        return [
            Notification(
                id=row["notification_id"],
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=row["state"],
            )
            for row in cursor.fetchall()
        ]
