"""The replica tests' primary and streaming replica: the pair `.ci/run` made (NEWSROOM_TEST_PRIMARY,
NEWSROOM_TEST_REPLICA), or one made for this session. With NEWSROOM_REQUIRE_REPLICA=1 a test that
cannot have one fails instead of being skipped."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support import replica
from tests.support.postgres import postgres_schema

REQUIRE_VAR = "NEWSROOM_REQUIRE_REPLICA"


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_VAR):
        pytest.fail(f"{reason}, but {REQUIRE_VAR} is set")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def replica_pair() -> Iterator[tuple[str, str]]:
    """(primary URL, replica URL) of a primary and its streaming replica."""
    primary, standby = os.environ.get("NEWSROOM_TEST_PRIMARY"), os.environ.get("NEWSROOM_TEST_REPLICA")
    if primary and standby:
        yield primary, standby
        return
    if not replica.can_make_clusters():
        _unavailable("no PostgreSQL programs to make a primary and a replica with")
    try:
        pair = replica.start()
    except replica.ReplicaSetupFailed as error:
        _unavailable(f"could not make a primary and a replica: {error}")
        raise
    try:
        yield pair.primary_url, pair.replica_url
    finally:
        replica.stop(pair.folder)


@pytest.fixture
def store_pair(replica_pair: tuple[str, str]) -> Iterator[tuple[str, str]]:
    """A fresh schema on the primary, as (primary URL, the same schema on the replica)."""
    primary, standby = replica_pair
    with postgres_schema(primary, prefix="r") as url:
        schema = url.split("schema=")[1]
        yield url, f"{standby}?schema={schema}"
