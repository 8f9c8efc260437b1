"""A scheduled post reaches readers only when it is published: the changes feed and the page."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.bootstrap import Services
from infrastructure.web.site import Site
from tests.conftest import StepClock
from tests.web.conftest import EDITOR, live_story


def scheduled_in_five_minutes(app: Newsroom, clock: StepClock) -> None:
    live_story(app, updates=1)  # versions 1-3
    app.schedule_update(
        "syria", "Result", "Passed.", publish_at=clock.now + timedelta(minutes=5), editor=EDITOR
    )


def changes(client: TestClient) -> list[tuple[int, str, int | None]]:
    answer = client.get("/api/stories/syria/changes?after=0").json()
    return [(c["version"], c["kind"], c["update"]) for c in answer["changes"]]


def test_a_scheduled_post_is_in_the_changes_only_once_published(
    app: Newsroom, newsroom: Services, site: Site, client: TestClient, clock: StepClock
) -> None:
    scheduled_in_five_minutes(app, clock)
    site.refresh()
    assert changes(client) == [(2, "posted", 1)]
    assert [u["title"] for u in client.get("/api/stories/syria").json()["updates"]] == ["Update 1"]

    newsroom.publisher.publish_due(clock.now + timedelta(minutes=5))
    site.refresh()

    assert changes(client) == [(2, "posted", 1), (5, "posted", 2)]
    assert [u["title"] for u in client.get("/api/stories/syria").json()["updates"]] == ["Result", "Update 1"]


def test_the_web_publishes_what_is_due_in_its_round(
    app: Newsroom, site: Site, client: TestClient, clock: StepClock
) -> None:
    scheduled_in_five_minutes(app, clock)
    site.reading.publish_due()  # not due yet
    assert app.get_story("syria").version == 4

    clock.now += timedelta(hours=1)
    site.reading.publish_due()  # the broadcaster's round
    site.refresh()

    assert changes(client)[-1] == (5, "posted", 2)
