"""The history read model on real SQLite and PostgreSQL: what each event changed, told at read time."""

from __future__ import annotations

import pytest

from domain.errors import StoryNotFound, UpdateNotFound
from infrastructure.bootstrap import Services
from infrastructure.page_json import values
from infrastructure.projections.history_reading import HistoryEntry

SLUG = "syria-talks"
BODY = "Intro.\n\n> Hopeful.\n>\n> \u2013 PM\n\n> Second quote."


def told(entry: HistoryEntry) -> tuple[object, ...]:
    """An entry as its JSON shows it (blocks as objects)."""
    return (entry.label, entry.reason, values(entry.before), values(entry.after))


def blocks(*quotes: tuple[str, str | None]) -> list[dict[str, object]]:
    return [{"kind": "paragraph", "text": "Intro."}] + [
        {"kind": "quote", "text": text, "attribution": attribution} for text, attribution in quotes
    ]


@pytest.fixture
def corrected(newsroom: Services) -> Services:
    """A story whose update is corrected and revised in each way the events allow."""
    newsroom.app.open_story(SLUG, "Syria talks", None, editor="ann")
    newsroom.app.post_update(SLUG, "First", BODY, editor="ann")
    newsroom.app.correct_quote(SLUG, 1, 1, text="Very hopeful.", note="Misquote", editor="bob")  # words only
    newsroom.app.correct_quote(SLUG, 1, 1, attribution="", note="Not the PM", editor="bob")  # removed
    newsroom.app.correct_quote(SLUG, 1, 2, attribution="A minister", note="Said by", editor="bob")  # added
    newsroom.app.revise_update(SLUG, 1, title="First, revised", reason="Typo", editor="cy")  # body kept
    newsroom.app.revise_update(
        SLUG, 1, body="Intro.\n\n> New words.", reason="Rewrite", editor="cy"
    )  # title kept
    newsroom.app.change_standfirst(SLUG, "Leaders meet", editor="ann")
    newsroom.app.change_standfirst(SLUG, "Leaders met", editor="ann")
    newsroom.app.change_standfirst(SLUG, None, editor="ann")
    newsroom.app.publish_story(SLUG, editor="ann")
    newsroom.runner.catch_up()
    return newsroom


def test_corrections_and_revisions_tell_what_was_there_before_and_after(
    corrected: Services,
) -> None:
    entries = corrected.queries.history(SLUG, 1)

    assert [told(e) for e in entries] == [
        (
            "Update 1 posted",
            None,
            None,
            {"title": "First", "byline": None, "key_event": False,
             "blocks": blocks(("Hopeful.", "PM"), ("Second quote.", None))},
        ),
        (
            "Quote 1 corrected in update 1",
            "Misquote",
            {"quote": 1, "text": "Hopeful.", "attribution": "PM"},
            {"quote": 1, "text": "Very hopeful.", "attribution": "PM"},
        ),
        (
            "Quote 1 corrected in update 1",
            "Not the PM",
            {"quote": 1, "text": "Very hopeful.", "attribution": "PM"},
            {"quote": 1, "text": "Very hopeful.", "attribution": None},
        ),
        (
            "Quote 2 corrected in update 1",
            "Said by",
            {"quote": 2, "text": "Second quote.", "attribution": None},
            {"quote": 2, "text": "Second quote.", "attribution": "A minister"},
        ),
        (
            "Update 1 revised",
            "Typo",
            {"title": "First", "blocks": blocks(("Very hopeful.", None), ("Second quote.", "A minister"))},
            {"title": "First, revised",
             "blocks": blocks(("Very hopeful.", None), ("Second quote.", "A minister"))},
        ),
        (
            "Update 1 revised",
            "Rewrite",
            {"title": "First, revised",
             "blocks": blocks(("Very hopeful.", None), ("Second quote.", "A minister"))},
            {"title": "First, revised", "blocks": blocks(("New words.", None))},
        ),
    ]  # fmt: skip


def test_one_updates_history_is_the_whole_storys_rows_for_that_update(
    corrected: Services,
) -> None:
    whole = corrected.queries.history(SLUG)

    assert corrected.queries.history(SLUG, 1) == [e for e in whole if e.update == 1]


@pytest.mark.parametrize("posts_between", [3, 20])
def test_an_updates_history_holds_its_events_however_far_apart(
    newsroom: Services, posts_between: int
) -> None:
    newsroom.app.open_story(SLUG, "Syria talks", None, editor="ann")
    newsroom.app.post_update(SLUG, "First", BODY, editor="ann")
    for n in range(posts_between):
        newsroom.app.post_update(SLUG, f"Other {n}", "More.", editor="ann")
        newsroom.app.revise_update(SLUG, 1, title=f"First, take {n}", reason="Typo", editor="bob")
    newsroom.runner.catch_up()

    entries = newsroom.queries.history(SLUG, 1)

    assert [e.version for e in entries] == [2, *range(4, 4 + 2 * posts_between, 2)]
    assert [e.label for e in entries[1:]] == ["Update 1 revised"] * posts_between
    assert entries[-1].after["title"] == f"First, take {posts_between - 1}"


def test_the_history_rows_copy_nothing_the_events_hold(corrected: Services) -> None:
    from sqlalchemy import select

    from infrastructure.projections.history import history_events

    with corrected.runner.engine.connect() as connection:
        rows = connection.execute(select(history_events).order_by(history_events.c.version)).all()

    assert [c.name for c in history_events.columns] == ["story_id", "version", "event_type", "update_number"]
    assert [(r.version, r.event_type, r.update_number) for r in rows[:3]] == [
        (1, "Opened", None),
        (2, "UpdatePosted", 1),
        (3, "QuoteCorrected", 1),
    ]


def test_story_changes_are_labelled_from_what_came_before(corrected: Services) -> None:
    entries = [e for e in corrected.queries.history(SLUG) if e.update is None]

    assert [told(e) for e in entries] == [
        ("Story opened", None, None, {"headline": "Syria talks", "standfirst": None}),
        ("Standfirst added", None, {"standfirst": None}, {"standfirst": "Leaders meet"}),
        ("Standfirst changed", None, {"standfirst": "Leaders meet"}, {"standfirst": "Leaders met"}),
        ("Standfirst removed", None, {"standfirst": "Leaders met"}, {"standfirst": None}),
        ("Story published", None, {"status": "draft"}, {"status": "live"}),
    ]


def test_a_rebuilt_history_tells_the_same(corrected: Services) -> None:
    before = corrected.queries.history(SLUG)

    corrected.runner.rebuild(["history"])

    assert corrected.queries.history(SLUG) == before


def test_an_unknown_update_or_story_is_refused(corrected: Services) -> None:
    with pytest.raises(UpdateNotFound) as refused:
        corrected.queries.history(SLUG, 2)
    assert refused.value.args == UpdateNotFound(SLUG, 2, 1).args
    with pytest.raises(StoryNotFound):
        corrected.queries.history("no-such-story")
