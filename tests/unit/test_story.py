"""Story rules for the header, the status and the chain.

Given past events, when a command, then exactly these events, or this error and nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import (
    InvalidInput,
    NoEditorNamed,
    NothingToChange,
    WrongStatus,
)
from domain.story import Story
from spec_kit import EDITOR, SLUG, T0, event, given, when

NOW = T0 + timedelta(hours=3)
QUOTED = "Intro.\n\n> We are hopeful.\n>\n> – The spokesman\n\n> Second quote."
LIVE = (event(Story.Opened), event(Story.Published))


# Opening.


def test_opening_a_story_records_it_opened_as_a_draft() -> None:
    outcome = when(lambda: Story.open(SLUG, " Syria summit ", "Talks.", editor=EDITOR, at=NOW))

    outcome.then(
        event(Story.Opened, headline="Syria summit", standfirst="Talks.", slug=SLUG, editor=EDITOR, at=NOW)
    )
    assert outcome.story is not None and outcome.story.status == "draft"


@pytest.mark.parametrize(
    "slug", ["Syria", "syria summit", "-syria", "syria--talks", "", "s" * 81, "syr\u200fia"]
)
def test_opening_with_an_invalid_slug_is_refused(slug: str) -> None:
    when(lambda: Story.open(slug, "Headline", None, editor=EDITOR, at=NOW)).then_refused(
        InvalidInput, match="invalid slug"
    )


def test_opening_with_an_empty_headline_is_refused() -> None:
    when(lambda: Story.open(SLUG, "   ", None, editor=EDITOR, at=NOW)).then_refused(
        InvalidInput, match="headline is empty"
    )


def test_a_command_naming_no_editor_is_refused() -> None:
    when(lambda: Story.open(SLUG, "Headline", None, editor=" ", at=NOW)).then_refused(NoEditorNamed)


def test_the_story_id_is_derived_from_the_slug() -> None:
    assert given(event(Story.Opened, slug="syria")).story.id == Story.id_for("syria")


# Headline and standfirst.


def test_changing_the_headline_records_it_with_the_reason() -> None:
    given(event(Story.Opened, headline="Old")).when(
        lambda story, _: story.change_headline("New", reason="Fresher", editor="bob", at=NOW)
    ).then(event(Story.HeadlineChanged, headline="New", reason="Fresher", editor="bob"))


def test_changing_the_headline_without_a_reason_is_refused() -> None:
    given(event(Story.Opened, headline="Old")).when(
        lambda story, _: story.change_headline("New", reason=" ", editor=EDITOR, at=NOW)
    ).then_refused(InvalidInput, match="reason is empty")


def test_changing_the_headline_to_the_same_words_is_refused() -> None:
    given(event(Story.Opened, headline="Old"), event(Story.HeadlineChanged, headline="Same")).when(
        lambda story, _: story.change_headline(" Same ", reason="Again", editor=EDITOR, at=NOW)
    ).then_refused(NothingToChange)


def test_a_blank_standfirst_removes_it() -> None:
    given(event(Story.Opened, standfirst="Talks.")).when(
        lambda story, _: story.change_standfirst("  ", editor=EDITOR, at=NOW)
    ).then(event(Story.StandfirstChanged, standfirst=None))


# Status.


def test_publishing_a_draft_makes_it_live() -> None:
    outcome = given(event(Story.Opened)).when(lambda story, _: story.publish(editor=EDITOR, at=NOW))

    outcome.then(event(Story.Published))
    assert outcome.story is not None and outcome.story.status == "live"


def test_reopening_a_closed_story_records_it_reopened() -> None:
    given(*LIVE, event(Story.Closed)).when(lambda story, _: story.reopen(editor=EDITOR, at=NOW)).then(
        event(Story.Reopened)
    )


@pytest.mark.parametrize(
    ("past", "command", "status"),
    [
        (LIVE, lambda story, _: story.publish(editor=EDITOR, at=NOW), "live"),
        ((event(Story.Opened),), lambda story, _: story.close(editor=EDITOR, at=NOW), "draft"),
        (LIVE, lambda story, _: story.reopen(editor=EDITOR, at=NOW), "live"),
    ],
    ids=["publishing a live story", "closing a draft", "reopening a live story"],
)
def test_a_status_change_out_of_order_is_refused(past, command, status) -> None:  # noqa: ANN001
    given(*past).when(command).then_refused(WrongStatus, match=f"is {status}")


# The chain.


def test_each_new_event_is_chained_to_the_story_s_last_one() -> None:
    past = given(*LIVE, event(Story.UpdatePosted), event(Story.UpdatePinned, number=1))

    outcome = past.when(lambda story, _: story.retract_update(1, reason="Legal", editor=EDITOR, at=NOW))

    unpinned, retracted = outcome.events
    assert unpinned.previous_hash == past.events[-1].hash
    assert retracted.previous_hash == unpinned.hash
    assert outcome.story is not None and outcome.story.head_hash == retracted.hash
