"""The readers' web after a person's erasure: a server started afterwards shows their name
nowhere, "[erased]" where it was recorded (a running one: `test_takedown_reaches_servers.py`)."""

from __future__ import annotations

from starlette.testclient import TestClient

from infrastructure.bootstrap import Services, bootstrap
from infrastructure.erasure import erase_person
from infrastructure.web.app import create_app
from infrastructure.web.reading import Reading
from infrastructure.web.site import Site
from tests.conftest import StepClock

NAME = "Zoë Quarrington-Ülker"
SLUG = "inquiry"


def test_no_page_feed_or_api_answer_holds_an_erased_name(
    newsroom: Services, store_url: str, clock: StepClock
) -> None:
    app = newsroom.app
    app.open_story(SLUG, "An inquiry", editor=NAME)
    app.post_update(SLUG, "Opening", "> Words.\n>\n> – Someone", editor=NAME)
    app.correct_quote(SLUG, 1, 1, text="Better words.", note="Misquote", editor=NAME)
    app.publish_story(SLUG, editor=NAME)
    erase_person(newsroom, NAME, request="DSAR-1", editor="root")

    services = bootstrap(store_url, clock=clock)
    site = Site(Reading(services))
    site.refresh()
    with TestClient(create_app(site, follow=False)) as client:
        answers = [
            client.get(path)
            for path in (
                f"/stories/{SLUG}",
                f"/stories/{SLUG}/feed.atom",
                f"/api/stories/{SLUG}",
                f"/api/stories/{SLUG}/changes?after=0",
                "/api/stories",
            )
        ]
    services.close()
    assert [a.status_code for a in answers] == [200] * 5
    assert all(NAME not in a.text and "Quarrington" not in a.text for a in answers)
    assert '"editor": "[erased]"' in answers[2].text
