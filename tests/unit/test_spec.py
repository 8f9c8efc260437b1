"""The spec kit itself (`spec_kit`): a past of real chained events, and failures that say what differed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from eventsourcing.utils import get_topic

from domain.chain import GENESIS_HASH, event_content, hash_content
from domain.errors import UpdateRetracted, WrongStatus
from domain.markdown_body import parse_body
from domain.story import Story
from spec_kit import EDITOR, SLUG, T0, MinuteClock, event, given

NOW = T0 + timedelta(hours=3)


def test_given_events_carry_a_hash_chain_that_domain_chain_verifies() -> None:
    events = given(
        event(Story.Opened),
        event(Story.Published),
        event(Story.UpdatePosted, body="> Words"),
        event(Story.QuoteCorrected, number=1, quote=1, text="W"),
    ).events

    for made in events:
        state = {k: v for k, v in vars(made).items() if k not in ("originator_id", "originator_version")}
        class_version = getattr(type(made), "class_version", 1)
        if class_version > 1:  # the store writes it beside the fields, so the hash covers it
            state["class_version"] = class_version
        content = event_content(get_topic(type(made)), made.originator_id, made.originator_version, state)
        assert hash_content(content) == made.hash
    assert [e.previous_hash for e in events] == [GENESIS_HASH] + [e.hash for e in events[:-1]]


def test_given_events_are_the_events_the_commands_would_have_recorded() -> None:
    story = Story.open(SLUG, "Syria summit", None, editor=EDITOR, at=T0)
    story.publish(editor=EDITOR, at=T0 + timedelta(minutes=1))
    story.post_update("Talks", parse_body("News."), editor="bob", at=T0 + timedelta(minutes=2))

    past = given(
        event(Story.Opened),
        event(Story.Published),
        event(Story.UpdatePosted, title="Talks", body="News.", editor="bob"),
    ).events

    assert list(past) == story.collect_events()


def test_given_numbers_versions_from_one_and_reads_times_from_the_clock() -> None:
    events = given(
        event(Story.Opened), event(Story.Published), event(Story.UpdatePosted, at=NOW), clock=MinuteClock(NOW)
    ).events

    assert [e.originator_version for e in events] == [1, 2, 3]
    assert [e.timestamp for e in events] == [NOW, NOW + timedelta(minutes=1), NOW]


def test_given_folds_the_story_and_each_update_s_digests() -> None:
    past = given(
        event(Story.Opened),
        event(Story.Published),
        event(Story.UpdatePosted),
        event(Story.UpdatePosted, title="Second"),
        event(Story.UpdatePinned, number=2),
    )

    assert (past.story.version, past.story.update_count, past.story.pinned) == (5, 2, 2)
    assert sorted(past.updates) == [1, 2] and past.updates[2].has_title("Second")


def test_a_past_that_does_not_start_with_opened_is_refused() -> None:
    with pytest.raises(ValueError, match=r"starts with event\(Story.Opened\)"):
        given(event(Story.Published))


def test_a_past_the_digests_cannot_follow_is_refused() -> None:
    with pytest.raises(ValueError, match="never posted"):
        given(event(Story.Opened), event(Story.UpdateRevised, number=2, title="X"))


def test_each_when_starts_from_the_past_afresh() -> None:
    past = given(event(Story.Opened), event(Story.Published), event(Story.UpdatePosted))

    past.when(lambda story, _: story.retract_update(1, reason="Legal", editor=EDITOR, at=NOW))

    past.when(lambda story, _: story.retract_update(1, reason="Legal", editor=EDITOR, at=NOW)).then(
        event(Story.UpdateRetracted, number=1, reason="Legal")
    )


def test_a_failing_then_names_each_field_that_differed() -> None:
    outcome = given(event(Story.Opened), event(Story.UpdatePosted, title="Old")).when(
        lambda story, updates: story.revise_update(
            updates[1], title="New", reason="Typo", editor=EDITOR, at=NOW
        )
    )

    with pytest.raises(AssertionError) as failure:
        outcome.then(
            event(Story.UpdateRevised, number=1, title="Newer", reason="Typo", editor="bob"),
            event(Story.UpdatePinned, number=1),
        )

    message = str(failure.value)
    assert "event 1: UpdateRevised.title: expected 'Newer', recorded 'New'" in message
    assert "event 1: UpdateRevised.editor: expected 'bob', recorded 'ann'" in message
    assert "event 2: expected UpdatePinned(number=1), but nothing more was recorded" in message
    assert (
        "recorded [UpdateRevised(number=1, title='New', body=None, reason='Typo', editor='ann')]" in message
    )


def test_a_failing_then_names_an_event_of_another_type() -> None:
    outcome = given(event(Story.Opened)).when(lambda story, _: story.publish(editor=EDITOR, at=NOW))

    with pytest.raises(AssertionError, match="event 1: expected Closed, recorded Published"):
        outcome.then(event(Story.Closed))


def test_then_on_a_refused_command_names_the_error() -> None:
    outcome = given(event(Story.Opened), event(Story.Published)).when(
        lambda story, _: story.publish(editor=EDITOR, at=NOW)
    )

    with pytest.raises(
        AssertionError, match="but the command was refused: WrongStatus: story 'syria-summit'"
    ):
        outcome.then(event(Story.Published))


def test_then_refused_on_a_command_that_was_not_refused_names_what_it_recorded() -> None:
    outcome = given(event(Story.Opened)).when(lambda story, _: story.publish(editor=EDITOR, at=NOW))

    with pytest.raises(AssertionError, match=r"not refused: it recorded \[Published\(editor='ann'\)\]"):
        outcome.then_refused(WrongStatus)


def test_then_refused_names_another_error() -> None:
    outcome = given(event(Story.Opened), event(Story.Published)).when(
        lambda story, _: story.publish(editor=EDITOR, at=NOW)
    )

    with pytest.raises(AssertionError, match="expected UpdateRetracted, but it raised WrongStatus"):
        outcome.then_refused(UpdateRetracted)


def test_then_refused_fails_when_the_message_does_not_match() -> None:
    outcome = given(event(Story.Opened), event(Story.Published)).when(
        lambda story, _: story.publish(editor=EDITOR, at=NOW)
    )

    with pytest.raises(AssertionError, match="does not match 'closed'"):
        outcome.then_refused(WrongStatus, match="closed")


def test_then_refused_fails_when_the_command_recorded_before_it_raised() -> None:
    def publish_then_refuse(story: Story, _: object) -> None:
        story.publish(editor=EDITOR, at=NOW)
        raise WrongStatus(story.slug, story.status, "changed its mind")

    outcome = given(event(Story.Opened)).when(publish_then_refuse)

    with pytest.raises(AssertionError, match=r"refused with WrongStatus, but recorded \[Published"):
        outcome.then_refused(WrongStatus)
