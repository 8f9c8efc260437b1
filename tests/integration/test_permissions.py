"""The permission table through the application on a real store: given a roster and a story in
the state each command needs, when someone with one role makes it, then its events record that
role, or it is refused and nothing at all is appended. Also: a store with no admin lets anyone
do anything, recording no role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from domain.application import COMMANDS, Newsroom
from domain.errors import NotOnStaff, NotPermitted
from domain.roles import ADMIN, ROLES
from domain.signing import PublicKey
from domain.staff import Roster
from domain.story import Story
from tests.support.ssh_keys import KeyShelf, signing_with

BOSS = "boss"
"""Prepares every story: editor and legal desk."""
SUBMITTING = {"submit_update", "revise_submission", "withdraw_submission"}
ALLOWED = {
    **{role: {c.id for c in COMMANDS.values() if role in c.roles} for role in ROLES},
    "nobody": set(),
}
"""What each role may do, as each command declares it (the declarations: tests/unit/test_roles.py)."""
BODY = "> We are hopeful.\n>\n> – The spokesman"
LATER, EVEN_LATER = datetime(2100, 1, 1, tzinfo=UTC), datetime(2101, 1, 1, tzinfo=UTC)


def prepared(
    app: Newsroom, command: str, slug: str, submitter: str, keys: KeyShelf
) -> Callable[[str], object]:
    """A story (or staff member) in the state `command` needs; returns the command, by whom.
    A submission to revise or withdraw is `submitter`'s own; a key added or revoked is `keys(slug)`."""
    if command == "open_story":
        return lambda who: app.open_story(slug, "Fresh", editor=who)
    app.open_story(slug, "A story", editor=BOSS)
    if command == "publish_story":
        return lambda who: app.publish_story(slug, editor=who)
    if command == "schedule_publication":
        return lambda who: app.schedule_publication(slug, publish_at=LATER, editor=who)
    if command == "unschedule_publication":
        app.schedule_publication(slug, publish_at=LATER, editor=BOSS)
        return lambda who: app.unschedule_publication(slug, editor=who)
    app.publish_story(slug, editor=BOSS)
    app.post_update(slug, "First", BODY, editor=BOSS)
    if command in ("approve_submission", "reject_submission"):
        app.submit_update(slug, "Offered", BODY, editor=BOSS)
    if command in ("revise_submission", "withdraw_submission"):
        app.submit_update(slug, "Offered", BODY, editor=submitter)
    staff_target = f"{slug}-member"
    key = PublicKey.parse(keys(slug).line) if command in ("add_staff_key", "revoke_staff_key") else None
    if command in ("grant_role", "revoke_role", "remove_staff", "erase_person", "add_staff_key"):
        app.add_staff(staff_target, ["editor", "contributor"], editor="root")
    if command == "revoke_staff_key":
        app.add_staff(staff_target, ["editor"], editor="root", keys=[key])
    if command in ("reschedule_update", "unschedule_update", "take_down_scheduled_post"):
        app.schedule_update(slug, "Later", BODY, publish_at=LATER, editor=BOSS)
    if command == "take_down_scheduled_post":
        app.unschedule_update(slug, 1, editor=BOSS)
    if command == "take_down_submission":
        app.submit_update(slug, "Offered", BODY, editor=BOSS)
        app.withdraw_submission(slug, 1, editor=BOSS)
    if command in ("unpin_update", "reopen_story"):
        app.pin_update(slug, 1, editor=BOSS)
        if command == "reopen_story":
            app.close_story(slug, editor=BOSS)
    commands: dict[str, Callable[[str], object]] = {
        "change_headline": lambda who: app.change_headline(slug, "New", reason="Fresher", editor=who),
        "change_standfirst": lambda who: app.change_standfirst(slug, "New standfirst", editor=who),
        "change_time_zone": lambda who: app.change_time_zone(slug, "Asia/Tokyo", editor=who),
        "close_story": lambda who: app.close_story(slug, editor=who),
        "reopen_story": lambda who: app.reopen_story(slug, editor=who),
        "post_update": lambda who: app.post_update(slug, "Second", "More.", editor=who),
        "revise_update": lambda who: app.revise_update(slug, 1, title="Revised", reason="Typo", editor=who),
        "correct_quote": lambda who: app.correct_quote(slug, 1, 1, text="Hopeful.", note="Fix", editor=who),
        "pin_update": lambda who: app.pin_update(slug, 1, editor=who),
        "unpin_update": lambda who: app.unpin_update(slug, 1, editor=who),
        "mark_key_event": lambda who: app.mark_key_event(slug, 1, editor=who),
        "retract_update": lambda who: app.retract_update(slug, 1, reason="Legal advice", editor=who),
        "take_down_update": lambda who: app.take_down_update(slug, 1, order="HC-1", note="Gone.", editor=who),
        "take_down_submission": lambda who: app.take_down_submission(
            slug, 1, order="HC-1", note="Gone.", editor=who
        ),
        "take_down_scheduled_post": lambda who: app.take_down_scheduled_post(
            slug, 1, order="HC-1", note="Gone.", editor=who
        ),
        "submit_update": lambda who: app.submit_update(slug, "Offered", "From the field.", editor=who),
        "revise_submission": lambda who: app.revise_submission(slug, 1, title="Offered again", editor=who),
        "withdraw_submission": lambda who: app.withdraw_submission(slug, 1, editor=who),
        "approve_submission": lambda who: app.approve_submission(slug, 1, editor=who),
        "reject_submission": lambda who: app.reject_submission(slug, 1, reason="Unsourced", editor=who),
        "schedule_update": lambda who: app.schedule_update(slug, "L", "Soon.", publish_at=LATER, editor=who),
        "reschedule_update": lambda who: app.reschedule_update(slug, 1, publish_at=EVEN_LATER, editor=who),
        "unschedule_update": lambda who: app.unschedule_update(slug, 1, editor=who),
        "add_staff": lambda who: app.add_staff(f"{slug}-new", ["contributor"], editor=who),
        "grant_role": lambda who: app.grant_role(staff_target, "legal", editor=who),
        "revoke_role": lambda who: app.revoke_role(staff_target, "contributor", editor=who),
        "remove_staff": lambda who: app.remove_staff(staff_target, editor=who),
        "erase_person": lambda who: app.erase_person(staff_target, request="DSAR-1", editor=who),
        "add_staff_key": lambda who: app.add_staff_key(staff_target, key, editor=who),
        "revoke_staff_key": lambda who: app.revoke_staff_key(staff_target, key, editor=who),
    }  # fmt: skip
    return commands[command]


def appended(app: Newsroom) -> int:
    return app.recorder.max_notification_id() or 0


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_may_make_exactly_its_commands_and_a_refusal_appends_nothing(
    app: Newsroom, role: str, ssh_keys: KeyShelf
) -> None:
    signing_with(app, ssh_keys)  # as an agent holding everyone's keys: each signs as themselves
    app.add_staff("root", ["admin"], editor="root", keys=[PublicKey.parse(ssh_keys("root").line)])
    app.add_staff(BOSS, ["editor", "legal"], editor="root")
    if role != "nobody":
        app.add_staff("who", [role], editor="root", keys=[PublicKey.parse(ssh_keys("who").line)])
    app.add_staff_key(BOSS, PublicKey.parse(ssh_keys(BOSS).line), editor="root")
    outcomes = {}
    for n, command in enumerate(sorted(COMMANDS)):
        slug = f"s{n}"
        act = prepared(app, command, slug, "who" if ALLOWED[role] >= SUBMITTING else BOSS, ssh_keys)
        before = appended(app)
        try:
            act("who")
        except (NotPermitted, NotOnStaff) as refusal:
            outcomes[command] = ("refused", appended(app) == before, type(refusal).__name__)
            continue
        if ADMIN in COMMANDS[command].roles:
            recorded = app.get_staff_history()[-1]
        else:
            recorded = app.get_events(slug)[-1]
        outcomes[command] = ("allowed", recorded.editor == "who", recorded.role)

    refusal = "NotOnStaff" if role == "nobody" else "NotPermitted"
    assert outcomes == {
        command: ("allowed", True, role) if command in ALLOWED[role] else ("refused", True, refusal)
        for command in COMMANDS
    }


def test_a_store_with_no_admin_lets_anyone_do_anything_and_records_no_role(app: Newsroom, raw) -> None:
    app.open_story("s", "A story", editor="anyone")
    app.publish_story("s", editor="someone else")
    app.post_update("s", "First", BODY, editor="a third")
    app.retract_update("s", 1, reason="Legal", editor="a fourth")

    assert [e.role for e in app.get_events("s")] == [None] * 4
    assert all(b'"role"' not in e.state for e in app.recorder.select_events(Story.id_for("s")))
    assert app.get_staff() == [] and list(app.events.get(Roster.ID)) == []


def test_the_roster_is_read_from_the_store_by_every_command(store_url: str, clock) -> None:
    from infrastructure.bootstrap import bootstrap

    writer, admin = bootstrap(store_url, clock=clock), bootstrap(store_url, clock=clock)
    try:
        admin.app.add_staff("root", ["admin"], editor="root")
        admin.app.add_staff("ann", ["editor"], editor="root")
        writer.app.open_story("s", "A story", editor="ann")
        admin.app.remove_staff("ann", editor="root")

        with pytest.raises(NotOnStaff):
            writer.app.publish_story("s", editor="ann")
    finally:
        writer.close()
        admin.close()
