"""The spec kit states any event by its class (`spec_kit.event`), the fields left out defaulted
from the class, so a new event needs nothing added to the kit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.blocks import Paragraph
from domain.staff import Roster
from domain.story import Story
from spec_kit import EDITOR, SLUG, T0, event, given, given_staff
from spec_kit.events import own_fields

NEEDS_A_FIELD = {Story.UpdateScheduled: {"publish_at": T0}}
"""The events with a field no default fits: a test names it."""


@pytest.mark.parametrize("event_class", Story.EVENT_CLASSES, ids=lambda c: c.__name__)
def test_every_story_event_is_stated_by_its_class_with_every_own_field(event_class: type) -> None:
    stated = event(event_class, **NEEDS_A_FIELD.get(event_class, {}))

    assert stated.event_class is event_class
    assert list(stated.fields) == own_fields(event_class)


def test_own_fields_leave_out_the_envelope_given_fills_in() -> None:
    assert own_fields(Story.UpdateRetracted) == ["number", "reason"]
    assert own_fields(Roster.RoleGranted) == ["name", "granted"]


def test_a_field_left_out_takes_the_class_s_own_default_then_none_then_the_kit_s() -> None:
    assert event(Story.Published).fields == {"scheduled_for": None, "late": False}
    assert event(Story.UpdateRevised, number=1).fields["title"] is None  # None: the title kept
    assert event(Story.Opened).fields == {"slug": SLUG, "headline": "Syria summit", "standfirst": None}
    assert event(Story.UpdateSubmitted).fields["submission"] == 1
    assert event(Roster.MemberAdded, name="ann").fields == {"name": "ann", "roles": ()}


def test_a_body_is_stated_in_markdown_or_as_blocks() -> None:
    assert event(Story.UpdatePosted, body="Some *news*.").fields["body"] == (Paragraph("Some *news*."),)
    assert event(Story.UpdatePosted, body=[Paragraph("News.")]).fields["body"] == (Paragraph("News."),)


def test_a_field_the_event_does_not_have_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="UpdateRetracted has no field note, title"):
        event(Story.UpdateRetracted, title="x", note="y")


def test_a_field_no_default_fits_must_be_named() -> None:
    with pytest.raises(TypeError, match=r"event\(Story.UpdateScheduled\) needs publish_at"):
        event(Story.UpdateScheduled)


def test_a_post_s_number_left_out_is_the_next_and_any_other_s_the_latest() -> None:
    events = given(
        event(Story.Opened),
        event(Story.UpdatePosted),
        event(Story.UpdatePosted),
        event(Story.UpdatePinned),
        event(Story.UpdateSubmitted),
        event(Story.SubmissionApproved),
        event(Story.UpdateRetracted),
    ).events

    assert [getattr(e, "number", None) for e in events] == [None, 1, 2, 2, None, 3, 3]


def test_then_counts_numbers_left_out_from_the_story_s_updates() -> None:
    given(event(Story.Opened), event(Story.UpdatePosted)).when(
        lambda story, _: story.pin_update(1, editor=EDITOR, at=T0)
    ).then(event(Story.UpdatePinned))


def test_a_roster_event_is_stated_by_its_class_and_its_time_honoured() -> None:
    at = T0 + timedelta(days=1)

    events = given_staff(
        event(Roster.MemberAdded, name="ann", roles=("admin",)),
        event(Roster.RoleGranted, name="ann", granted="legal", at=at),
    ).events

    assert [type(e).__name__ for e in events] == ["Started", "MemberAdded", "RoleGranted"]
    assert (events[2].granted, events[2].timestamp, events[2].role) == ("legal", at, "admin")


def test_a_roster_event_in_a_story_s_past_and_a_story_event_in_the_roster_s_are_refused() -> None:
    with pytest.raises(ValueError, match="MemberAdded is not a story event"):
        given(event(Story.Opened), event(Roster.MemberAdded, name="ann"))
    with pytest.raises(ValueError, match="Published is not a roster event"):
        given_staff(event(Story.Published))
