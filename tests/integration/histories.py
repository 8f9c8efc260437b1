"""Long random story histories, recorded straight through the Story aggregate (fast), and helpers
to compare the read models with the fold."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import Engine

from domain.application import Newsroom
from domain.errors import NewsroomError
from domain.markdown_body import parse_body
from domain.story import Story
from domain.update_digests import UpdateDigests
from infrastructure.audit.records import OPENED_TOPIC, notification_pages
from infrastructure.projections.runner import PROJECTIONS

BODIES = (
    "Plain news.",
    "Intro.\n\n> We are hopeful.\n>\n> \u2013 The spokesman\n\n> Second quote.",
    "- one\n- two\n\n1. first\n2. second",
    "![Leaders meet](https://example.org/a.jpg)\nCredit: Agency\n\nAfter the *photo*.",
    "Words with [a link](https://example.org) and `code`.",
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now


def random_history(
    newsroom: Newsroom,
    events: int,
    *,
    seed: int,
    stories: int = 4,
    save_every: int = 25,
    between_saves: Callable[[], None] | None = None,
) -> None:
    """Records about `events` story events across `stories` stories, saving every few commands."""
    rng, clock = random.Random(seed), Clock()
    opened = [Story.open(f"story-{n}", f"Story {n}", None, editor="ann", at=clock()) for n in range(stories)]
    digests: dict[tuple[UUID, int], UpdateDigests] = {}
    pending: list[Any] = list(opened)
    recorded = len(opened)
    commands = 0
    while recorded < events:
        story = rng.choice(opened)
        before = len(story.pending_events)
        try:
            update = _random_command(rng, story, digests, clock())
        except NewsroomError:
            continue
        recorded += len(story.pending_events) - before
        pending.append(story)
        if update is not None:
            digests[(story.id, update.number)] = update
            pending.append(update)
        commands += 1
        if commands % save_every == 0:
            newsroom.save(*_distinct(pending))
            pending.clear()
            if between_saves is not None:
                between_saves()
    newsroom.save(*_distinct(pending))


def _distinct(aggregates: list[Any]) -> list[Any]:
    return list({id(a): a for a in aggregates}.values())


def _random_command(
    rng: random.Random, story: Story, digests: dict[tuple[UUID, int], UpdateDigests], at: datetime
) -> UpdateDigests | None:
    """Runs a random command on `story`; returns the update digests it created or changed."""
    editor = rng.choice(["ann", "bob", "cy"])
    count = story.update_count
    number = rng.randint(1, count) if count else 1
    roll = rng.random()
    if roll < 0.35 or not count:
        return story.post_update(
            f"Update {count + 1}", parse_body(rng.choice(BODIES)), byline=rng.choice([None, "Carl"]),
            key_event=rng.random() < 0.2, pin=rng.random() < 0.1, editor=editor, at=at,
        )  # fmt: skip
    update = digests[(story.id, number)]
    if roll < 0.5:
        body = parse_body(rng.choice(BODIES))
        story.revise_update(update, title=f"Revised {rng.randint(1, 99)}", body=body,
                            reason="Clarity", editor=editor, at=at)  # fmt: skip
        return update
    if roll < 0.6:
        story.correct_quote(update, 1, text=f"Corrected words {rng.randint(1, 99)}", note="Misquote",
                            editor=editor, at=at)  # fmt: skip
        return update
    if roll < 0.67:
        story.retract_update(number, reason="Legal advice", editor=editor, at=at)
    elif roll < 0.74:
        story.pin_update(number, editor=editor, at=at)
    elif roll < 0.78:
        story.unpin_update(story.pinned or number, editor=editor, at=at)
    elif roll < 0.85:
        story.mark_key_event(number, key_event=rng.random() < 0.6, editor=editor, at=at)
    elif roll < 0.9:
        story.change_headline(f"Headline {rng.randint(1, 999)}", reason="News moved on", editor=editor, at=at)
    elif roll < 0.93:
        story.change_standfirst(rng.choice([None, "The latest", "Talks go on"]), editor=editor, at=at)
    else:
        action = {"draft": story.publish, "live": story.close, "closed": story.reopen}[story.status]
        action(editor=editor, at=at)
    return None


def table_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read-model table, in primary-key order."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for projection in PROJECTIONS:
            for table in projection.metadata.sorted_tables:
                query = select(table).order_by(*table.primary_key.columns)
                dump[table.name] = [tuple(row) for row in connection.execute(query)]
    return dump


def story_slugs(app: Newsroom) -> Iterator[str]:
    """Every story's slug, in the order the stories were opened, from their Opened events."""
    for page in notification_pages(app, [OPENED_TOPIC]):
        for notification in page:
            yield app.mapper.to_domain_event(notification).slug
