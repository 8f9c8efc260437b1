"""The permission table: which role may make which command, what each event records, and the
refusal's words. (Every command through the application, on both stores, with nothing appended
when refused: tests/integration/test_permissions.py.)"""

from __future__ import annotations

import pytest

from domain.errors import NotOnStaff, NotPermitted
from domain.roles import ADMIN, CONTRIBUTOR, EDITOR, LEGAL, PERMISSIONS, Badge
from domain.story import Story
from spec_kit import EDITOR as ANN
from spec_kit import T0, event, given

SUBMITTING = {"submit_update", "revise_submission", "withdraw_submission"}
"""Revising and withdrawing only one's own: a rule of the story (tests/unit/test_submissions.py)."""
TABLE = {
    CONTRIBUTOR: SUBMITTING,
    EDITOR: {
        "open_story", "change_headline", "change_standfirst", "publish_story", "close_story", "reopen_story",
        "post_update", "revise_update", "correct_quote", "pin_update", "unpin_update", "mark_key_event",
        "change_time_zone",
        "approve_submission", "reject_submission", *SUBMITTING,
        "schedule_update", "reschedule_update", "unschedule_update", "schedule_publication",
        "unschedule_publication",
    },
    LEGAL: {"retract_update", "take_down_update", "take_down_submission", "take_down_scheduled_post"},
    ADMIN: {"add_staff", "grant_role", "revoke_role", "remove_staff", "erase_person"},
}  # fmt: skip
CASES = [(role, command) for role in TABLE for command in sorted(PERMISSIONS)]


def test_the_table_names_every_command() -> None:
    assert set().union(*TABLE.values()) == set(PERMISSIONS)


@pytest.mark.parametrize(("role", "command"), CASES)
def test_each_role_may_make_exactly_its_commands(role: str, command: str) -> None:
    badge = Badge("ann", frozenset({role}))

    if command in TABLE[role]:
        assert badge.role_for(command) == role
    else:
        with pytest.raises(NotPermitted):
            badge.role_for(command)


@pytest.mark.parametrize("command", sorted(PERMISSIONS))
def test_with_no_admin_anyone_may_do_anything_and_no_role_is_recorded(command: str) -> None:
    assert Badge("anyone", None).role_for(command) is None


@pytest.mark.parametrize("command", sorted(PERMISSIONS))
def test_once_there_is_an_admin_someone_not_on_the_staff_may_do_nothing(command: str) -> None:
    with pytest.raises(NotOnStaff):
        Badge("zed", frozenset()).role_for(command)


def test_a_command_is_done_under_the_first_role_that_allows_it() -> None:
    badge = Badge("ann", frozenset({LEGAL, EDITOR}))

    assert (badge.role_for("pin_update"), badge.role_for("retract_update")) == (EDITOR, LEGAL)


def test_a_refusal_names_the_persons_roles_and_who_may() -> None:
    with pytest.raises(NotPermitted) as refused:
        Badge("ann", frozenset({CONTRIBUTOR})).role_for("publish_story")

    assert str(refused.value) == "ann is a contributor: only an editor may publish a story"


def test_someone_both_editor_and_contributor_submits_as_an_editor() -> None:
    assert Badge("ann", frozenset({CONTRIBUTOR, EDITOR})).role_for("submit_update") == EDITOR


def test_a_contributor_may_not_approve_a_submission() -> None:
    with pytest.raises(NotPermitted) as refused:
        Badge("cat", frozenset({CONTRIBUTOR})).role_for("approve_submission")

    assert str(refused.value) == "cat is a contributor: only an editor may approve a submission"


def test_a_refusal_names_every_role_held() -> None:
    with pytest.raises(NotPermitted) as refused:
        Badge("ann", frozenset({CONTRIBUTOR, LEGAL})).role_for("pin_update")

    assert (
        str(refused.value)
        == "ann is on the legal desk and a contributor: only an editor may pin or unpin an update"
    )


def test_an_event_records_the_role_it_was_done_under() -> None:
    given(event(Story.Opened)).when(
        lambda story, updates: story.publish(editor=ANN, at=T0, role=EDITOR)
    ).then(event(Story.Published, editor=ANN).under(EDITOR))


def test_a_retraction_of_a_pinned_update_unpins_it_under_the_same_role() -> None:
    given(
        event(Story.Opened),
        event(Story.Published),
        event(Story.UpdatePosted),
        event(Story.UpdatePinned, number=1),
    ).when(
        lambda story, updates: story.retract_update(1, reason="Legal", editor=ANN, at=T0, role=LEGAL)
    ).then(
        event(Story.UpdateUnpinned, number=1).under(LEGAL),
        event(Story.UpdateRetracted, number=1, reason="Legal").under(LEGAL),
    )


def test_an_event_made_with_no_roster_stores_no_role_at_all() -> None:
    outcome = given(event(Story.Opened)).when(lambda story, updates: story.publish(editor=ANN, at=T0))

    outcome.then(event(Story.Published))
    assert "role" not in vars(outcome.events[0]) and outcome.events[0].role is None
