"""Story histories for benchmarks: a realistic update body, and a fast way to grow a long story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.application import Newsroom
from domain.blocks import Block
from domain.commands import declared_commands
from domain.errors import StoryNotFound
from domain.markdown_body import parse_body
from domain.story import Story

EDITOR = "Bench Editor"
ADMIN = "Bench Admin"
POST_UPDATE = declared_commands(Newsroom)["post_update"]
TITLE = "Leaders meet in Sochi"
BODY = """\
David Cameron and Vladimir Putin met in Sochi on Friday for talks on the crisis in Syria, \
two weeks before the planned peace conference in Geneva.

> We need to increase the pressure on the Assad regime and make sure the opposition
> is ready to take part in a transitional government.
>
> – The Prime Minister's spokesman

- The talks lasted three hours
- Both leaders agreed to meet again before the conference
- No joint statement was issued

![David Cameron and Vladimir Putin](https://example.org/sochi.jpg)
Credit: Sang Tan/PA Wire
"""
START = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)


def body_blocks() -> tuple[Block, ...]:
    return parse_body(BODY)


def snapshot_interval(app: Newsroom) -> int:
    return app.snapshotting_intervals[Story]


def staff_the_store(app: Newsroom) -> None:
    """A roster as a staffed newsroom has: an admin, and `EDITOR` as an editor."""
    app.add_staff(ADMIN, ["admin"], editor=ADMIN)
    app.add_staff(EDITOR, ["editor"], editor=ADMIN)


def grow_story(app: Newsroom, slug: str, events: int) -> int:
    """Posts updates to `slug` (opening it if need be) until it has `events` events; returns that.

    The updates are recorded on one loaded aggregate and saved in batches that end on multiples of
    the snapshot interval, so the library takes its snapshots exactly where single writes would.
    Each records the role `EDITOR` posts under, as `post_update` would (none on a store with no
    admin).
    """
    role = app.get_badge(EDITOR).role_for(POST_UPDATE)
    try:
        story = app.get_story(slug)
    except StoryNotFound:
        app.open_story(slug, "A long-running live blog", editor=EDITOR)
        story = app.get_story(slug)
    blocks = body_blocks()
    interval = snapshot_interval(app)
    at = START + timedelta(seconds=story.version)
    digests = []
    while story.version < events:
        digests.append(story.post_update(TITLE, blocks, editor=EDITOR, at=at, role=role))
        at += timedelta(seconds=1)
        if story.version % interval == 0 or story.version == events:
            app.save(story, *digests)
            digests.clear()
    return story.version
