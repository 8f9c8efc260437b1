"""The permission check: which role may make which command (as each command declares it, on its
application method), what each event records, and the refusal's words. (Every command through
the application, on both stores, with nothing appended when refused:
tests/integration/test_permissions.py.)"""

from __future__ import annotations

import pytest

from domain.application import COMMANDS
from domain.application.staff import StaffCommands
from domain.commands import declared_commands
from domain.errors import NotOnStaff, NotPermitted
from domain.roles import ADMIN, CONTRIBUTOR, EDITOR, LEGAL, ROLES, Badge
from domain.story import Story
from spec_kit import EDITOR as ANN
from spec_kit import T0, event, given

SUBMITTING = {"submit_update", "revise_submission", "withdraw_submission"}
"""Revising and withdrawing only one's own: a rule of the story (tests/unit/test_submissions.py)."""
CASES = [(role, command) for role in ROLES for command in sorted(COMMANDS)]


def may(role: str) -> set[str]:
    """The commands `role` may make, as the commands declare it."""
    return {c.id for c in COMMANDS.values() if role in c.roles}


def test_a_contributor_may_make_only_the_submitters_commands_and_an_editor_those_too() -> None:
    assert may(CONTRIBUTOR) == SUBMITTING and may(EDITOR) >= SUBMITTING


def test_only_the_legal_desk_retracts_or_takes_down() -> None:
    legal = {c for c in COMMANDS if c.startswith(("retract_", "take_down_"))}

    assert may(LEGAL) == legal and not legal & may(EDITOR) and len(legal) == 4


def test_only_an_admin_changes_the_staff_or_erases_a_name() -> None:
    assert may(ADMIN) == set(declared_commands(StaffCommands)) == {
        "add_staff", "grant_role", "revoke_role", "remove_staff", "erase_person",
        "add_staff_key", "revoke_staff_key",
    }  # fmt: skip


def test_every_command_is_some_role_s_and_its_refusal_has_words() -> None:
    assert all(c.roles and set(c.roles) <= set(ROLES) and c.action for c in COMMANDS.values())


@pytest.mark.parametrize(("role", "command"), CASES)
def test_each_role_may_make_exactly_its_commands(role: str, command: str) -> None:
    badge = Badge("ann", frozenset({role}))

    if command in may(role):
        assert badge.role_for(COMMANDS[command]) == role
    else:
        with pytest.raises(NotPermitted):
            badge.role_for(COMMANDS[command])


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_with_no_admin_anyone_may_do_anything_and_no_role_is_recorded(command: str) -> None:
    assert Badge("anyone", None).role_for(COMMANDS[command]) is None


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_once_there_is_an_admin_someone_not_on_the_staff_may_do_nothing(command: str) -> None:
    with pytest.raises(NotOnStaff):
        Badge("zed", frozenset()).role_for(COMMANDS[command])


def test_a_command_is_done_under_the_first_role_that_allows_it() -> None:
    badge = Badge("ann", frozenset({LEGAL, EDITOR}))

    assert (badge.role_for(COMMANDS["pin_update"]), badge.role_for(COMMANDS["retract_update"])) == (
        EDITOR,
        LEGAL,
    )


def test_a_refusal_names_the_persons_roles_and_who_may() -> None:
    with pytest.raises(NotPermitted) as refused:
        Badge("ann", frozenset({CONTRIBUTOR})).role_for(COMMANDS["publish_story"])

    assert str(refused.value) == "ann is a contributor: only an editor may publish a story"


def test_someone_both_editor_and_contributor_submits_as_an_editor() -> None:
    assert Badge("ann", frozenset({CONTRIBUTOR, EDITOR})).role_for(COMMANDS["submit_update"]) == EDITOR


def test_a_contributor_may_not_approve_a_submission() -> None:
    with pytest.raises(NotPermitted) as refused:
        Badge("cat", frozenset({CONTRIBUTOR})).role_for(COMMANDS["approve_submission"])

    assert str(refused.value) == "cat is a contributor: only an editor may approve a submission"


def test_a_refusal_names_every_role_held() -> None:
    with pytest.raises(NotPermitted) as refused:
        Badge("ann", frozenset({CONTRIBUTOR, LEGAL})).role_for(COMMANDS["pin_update"])

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
