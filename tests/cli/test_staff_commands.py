"""`newsroom staff ...` through the real CLI, and a refusal by role: exit codes, the one line
said, and nothing appended."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Run, events_of

SLUG = "syria-talks"


@pytest.fixture
def staffed(run: Run) -> None:
    assert run("--as", "ann", "staff", "add", "ann", "--role", "admin").exit_code == 0
    assert run("--as", "ann", "staff", "add", "ed", "--role", "editor", "--role", "legal").exit_code == 0
    assert run("--as", "ann", "staff", "add", "cat", "--role", "contributor").exit_code == 0


def test_the_first_member_must_be_an_admin(run: Run) -> None:
    result = run("--as", "ann", "staff", "add", "bob", "--role", "editor")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the staff has no admin yet, so bob can only be added as an admin: "
        "`newsroom staff add bob --role admin`\n"
    )
    assert json.loads(run("staff", "list", "--format", "json").stdout) == []


def test_staff_list_json_names_each_members_roles_and_who_added_them(run: Run, staffed: None) -> None:
    listed = json.loads(run("staff", "list", "--format", "json").stdout)

    assert [(m["name"], m["roles"], m["added_by"]) for m in listed] == [
        ("ann", ["admin"], "ann"),
        ("cat", ["contributor"], "ann"),
        ("ed", ["editor", "legal"], "ann"),
    ]
    assert all(m["added_at"].endswith("Z") for m in listed)


def test_a_contributor_cannot_open_a_story_and_nothing_is_appended(run: Run, staffed: None) -> None:
    result = run("--as", "cat", "story", "open", SLUG, "--headline", "Syria talks")

    assert (result.exit_code, result.stderr) == (
        1,
        "Error: cat is a contributor: only an editor may open a story\n",
    )
    assert run("events", SLUG).exit_code == 1


def test_someone_not_on_the_staff_can_write_nothing(run: Run, staffed: None) -> None:
    result = run("--as", "zed", "story", "open", SLUG, "--headline", "Syria talks")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: zed is not on the staff: only an editor may open a story; ")


def test_each_story_event_records_the_role_it_was_done_under(run: Run, staffed: None) -> None:
    run("--as", "ed", "story", "open", SLUG, "--headline", "Syria talks")
    run("--as", "ed", "update", "post", SLUG, "--title", "One", "--body", "First.")
    run("--as", "ed", "update", "retract", SLUG, "1", "--reason", "Legal advice")

    assert [(e["type"], e["data"]["role"]) for e in events_of(run, SLUG)] == [
        ("Opened", "editor"),
        ("UpdatePosted", "editor"),
        ("UpdateRetracted", "legal"),
    ]


def test_grant_revoke_remove_and_the_history_of_it_all(run: Run, staffed: None) -> None:
    assert run("--as", "ann", "staff", "grant", "cat", "editor").stdout == "cat granted editor\n"
    assert run("--as", "ann", "staff", "revoke", "cat", "contributor").stdout == "cat no longer contributor\n"
    assert run("--as", "ann", "staff", "remove", "cat").stdout == "cat removed from the staff\n"

    history = json.loads(run("staff", "history", "--format", "json").stdout)

    assert [(h["type"], h["editor"], h["role"], h["name"], h["what"]) for h in history] == [
        ("Started", "ann", None, None, "Staff roster started"),
        ("MemberAdded", "ann", None, "ann", "ann added as admin"),
        ("MemberAdded", "ann", "admin", "ed", "ed added as editor, legal"),
        ("MemberAdded", "ann", "admin", "cat", "cat added as contributor"),
        ("RoleGranted", "ann", "admin", "cat", "cat granted editor"),
        ("RoleRevoked", "ann", "admin", "cat", "cat no longer contributor"),
        ("MemberRemoved", "ann", "admin", "cat", "cat removed from the staff"),
    ]


def test_the_last_admin_cannot_be_removed(run: Run, staffed: None) -> None:
    result = run("--as", "ann", "staff", "remove", "ann")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ann is the last admin: the staff needs one; ")


def test_only_an_admin_manages_the_staff(run: Run, staffed: None) -> None:
    result = run("--as", "ed", "staff", "add", "zed", "--role", "editor")

    assert (result.exit_code, result.stderr) == (
        1,
        "Error: ed is an editor and on the legal desk: only an admin may add staff\n",
    )
