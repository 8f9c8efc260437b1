"""The stories the version-4 snapshot fixtures (`tests/fixtures/snapshots/Story.v4*.json`) were
taken of, by the code of commit e61fa01 (the updates posted sealed held one number each): the
fixture tests tell them again with the current code and compare what the rules decide on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from domain.application import Newsroom
from infrastructure.bootstrap import bootstrap, build_newsroom
from infrastructure.keys import MemoryKeyStore

SEALED_STORY = "sealed-snapshot-story"
PARTLY_SEALED_STORY = "partly-sealed-story"


def sealed_story(clock: Callable[[], datetime]) -> Newsroom:
    """`Story.v4.json`: on an in-memory store with keys, four updates posted sealed (the fourth
    approved from a submission), one pending submission, update 1 retracted and the pinned
    update 3 taken down. The application is left open, for its caller to close."""
    app = build_newsroom({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock, keys=MemoryKeyStore())
    slug = SEALED_STORY
    app.open_story(slug, "Sealed snapshot story", editor="ann")
    app.post_update(slug, "First", "First words.", editor="ann", key_event=True)
    app.post_update(slug, "Second", "Second words.", editor="ann")
    app.post_update(slug, "Third", "Third words.", editor="ann", pin=True)
    app.submit_update(slug, "From the steps", "Submitted words.", editor="cat")
    app.approve_submission(slug, 1, editor="ann")
    app.submit_update(slug, "Pending", "Still waiting.", editor="cat")
    app.retract_update(slug, 1, reason="Wrong.", editor="ann")
    app.take_down_update(slug, 3, order="HC-1", note="Removed under a court order.", editor="ann")
    return app


def partly_sealed_story(url: str, clock: Callable[[], datetime]) -> None:
    """`Story.v4.partly-sealed.json`: on the store at `url`, update 1 posted before the store had
    keys, 2 and 3 sealed, 4 by a process without sealing, 5 sealed again; 3 taken down."""
    slug = PARTLY_SEALED_STORY

    def run(sealing: bool, *steps: Callable[[Newsroom], object]) -> None:
        services = bootstrap(url, clock=clock, sealing=sealing)
        try:
            for step in steps:
                step(services.app)
        finally:
            services.close()

    run(
        False,
        lambda app: app.open_story(slug, "Partly sealed story", editor="ann"),
        lambda app: app.post_update(slug, "Before keys", "Plain words.", editor="ann"),
    )
    run(
        True,
        lambda app: app.post_update(slug, "Sealed", "Sealed words.", editor="ann", key_event=True),
        lambda app: app.post_update(slug, "Sealed too", "More sealed words.", editor="ann"),
    )
    run(False, lambda app: app.post_update(slug, "Plain again", "Plain words again.", editor="ann"))
    run(
        True,
        lambda app: app.post_update(slug, "Sealed again", "Sealed again.", editor="ann"),
        lambda app: app.take_down_update(
            slug, 3, order="HC-2", note="Removed under a court order.", editor="ann"
        ),
    )
