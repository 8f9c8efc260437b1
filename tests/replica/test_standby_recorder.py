"""The standby recorder against a real streaming replica, held to the library's own application
recorder test cases (`eventsourcing.tests.persistence.ApplicationRecorderTestCase`): writes go to
the primary, everything else (selects, max ids, subscriptions) to the replica."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase
from psycopg.sql import SQL, Identifier

from infrastructure.standby import ReplicaReadOnly, StandbyRecorder

pytestmark = pytest.mark.replica


def _datastore(url: str, schema: str) -> PostgresDatastore:
    parts = urlsplit(url)
    return PostgresDatastore(
        dbname=parts.path.lstrip("/"), host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
        user=parts.username or "postgres", password="", schema=schema, pool_size=4, max_overflow=12,
        lock_timeout=10, connect_timeout=5,
    )  # fmt: skip


class TestStandbyRecorder(ApplicationRecorderTestCase[StandbyRecorder]):
    """Each test on a fresh table: made on the primary, read from the replica."""

    urls: tuple[str, str]

    @pytest.fixture(autouse=True)
    def _pair(self, replica_pair: tuple[str, str]) -> Iterator[None]:
        self.urls = replica_pair
        self.schema = f"rr_{uuid.uuid4().hex[:12]}"
        self.datastores: list[PostgresDatastore] = []
        with psycopg.connect(self.urls[0], autocommit=True) as connection:
            connection.execute(SQL("CREATE SCHEMA {}").format(Identifier(self.schema)))
        yield
        for datastore in self.datastores:
            datastore.close()
        with psycopg.connect(self.urls[0], autocommit=True) as connection:
            connection.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(self.schema)))

    def create_recorder(self) -> StandbyRecorder:
        primary_store = _datastore(self.urls[0], self.schema)
        replica_store = _datastore(self.urls[1], self.schema)
        self.datastores += [primary_store, replica_store]
        primary = PostgresApplicationRecorder(primary_store, events_table_name="stored_events")
        primary.create_table()
        primary.insert_events([])  # a commit after the DDL, to wait for below
        recorder = StandbyRecorder(replica_store, events_table_name="stored_events")
        recorder.primary = primary
        _wait_for_table(self.urls[1], self.schema)
        return recorder

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()


def _wait_for_table(url: str, schema: str) -> None:
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with psycopg.connect(url, autocommit=True) as connection:
            row = connection.execute(
                "SELECT to_regclass(%s)", (Identifier(schema, "stored_events").as_string(connection),)
            ).fetchone()
        if row and row[0]:
            return
        time.sleep(0.02)
    raise AssertionError("the replica never replayed the table's creation")


def test_a_replica_without_a_primary_refuses_writes(replica_pair: tuple[str, str]) -> None:
    datastore = _datastore(replica_pair[1], "public")
    try:
        recorder = StandbyRecorder(datastore, events_table_name="stored_events")
        event = StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic="t", state=b"s")
        with pytest.raises(ReplicaReadOnly):
            recorder.insert_events([event])
    finally:
        datastore.close()


def test_following_a_replica_neither_skips_nor_repeats_across_a_gap(replica_pair: tuple[str, str]) -> None:
    case = TestStandbyRecorder()
    schema = f"rr_{uuid.uuid4().hex[:12]}"
    case.urls, case.schema, case.datastores = replica_pair, schema, []
    with psycopg.connect(replica_pair[0], autocommit=True) as connection:
        connection.execute(SQL("CREATE SCHEMA {}").format(Identifier(schema)))
    try:
        recorder = case.create_recorder()
        assert recorder.primary is not None
        first = StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic="t", state=b"1")
        recorder.insert_events([first])
        with pytest.raises(IntegrityError):  # a rolled-back insert leaves a gap in the ids
            recorder.primary.insert_events([first])
        with recorder.subscribe(gt=0) as subscription:
            for n in range(2, 6):
                event = StoredEvent(
                    originator_id=uuid.uuid4(), originator_version=1, topic="t", state=b"%d" % n
                )
                recorder.insert_events([event])
            seen = []
            for notification in subscription:
                seen.append(notification.id)
                if len(seen) == 5:
                    break
        written = [n.id for n in recorder.primary.select_notifications(start=None, limit=10)]
        assert seen == written
        assert written[1] > written[0] + 1  # the gap is there
    finally:
        for datastore in case.datastores:
            datastore.close()
        with psycopg.connect(replica_pair[0], autocommit=True) as connection:
            connection.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(schema)))
