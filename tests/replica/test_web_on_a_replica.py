"""The readers' web reading events from the replica: pages, and /healthz reporting the lag."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from infrastructure.bootstrap import bootstrap
from infrastructure.web.app import create_app
from infrastructure.web.reading import Reading
from infrastructure.web.site import Site
from tests.replica.test_reading_from_a_replica import TIMEOUT, _write_story

pytestmark = pytest.mark.replica


def test_the_web_serves_pages_from_the_replica_and_reports_its_lag(store_pair) -> None:
    primary, standby = store_pair
    _write_story(primary, updates=2)
    services = bootstrap(primary, read_url=standby)
    try:
        services.app.publish_story("syria", editor="ann")
        services.wait_for_replica(TIMEOUT)
        site = Site(Reading(services))
        site.refresh()
        with TestClient(create_app(site, follow=False)) as client:
            page = client.get("/api/stories/syria")
            health = client.get("/healthz")
        assert page.status_code == 200
        assert page.json()["version"] == 4
        assert health.status_code == 200
        assert health.headers["cache-control"] == "no-store"
        body = health.json()
        assert set(body) == {"read_models", "replica"}
        assert body["read_models"]["live-page"]["lag"] == 0
        assert set(body["replica"]) == {"position", "lag_events", "lag_seconds"}
        assert body["replica"]["lag_events"] >= 0
    finally:
        services.close()


def test_healthz_without_a_replica_says_so(store_pair) -> None:
    primary, _ = store_pair
    _write_story(primary, updates=1)
    services = bootstrap(primary)
    try:
        site = Site(Reading(services))
        site.refresh()
        with TestClient(create_app(site, follow=False)) as client:
            assert client.get("/healthz").json()["replica"] is None
    finally:
        services.close()


def test_a_reader_with_its_views_on_the_replica_reads_what_a_follower_keeps(store_pair) -> None:
    primary, standby = store_pair
    _write_story(primary, updates=2)
    follower = bootstrap(primary, read_url=standby)
    reader = bootstrap(primary, read_url=standby, views_url=standby)
    try:
        follower.wait_for_replica(TIMEOUT)
        follower.runner.catch_up()
        follower.wait_for_replica(TIMEOUT)  # the views' own writes reach the replica too
        assert not reader.can_catch_up
        assert reader.caught_up().page("syria") == follower.queries.page("syria")
        assert not reader.in_memory
    finally:
        follower.close()
        reader.close()
