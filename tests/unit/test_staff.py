"""Staff roster rules: given the roster's past, when a change, then exactly these events (and the
member's card), or this error and nothing."""

from __future__ import annotations

from domain.errors import (
    AlreadyOnStaff,
    InvalidInput,
    LastAdmin,
    NoAdminYet,
    NothingToChange,
    StaffMemberNotFound,
)
from domain.staff import Roster
from spec_kit import T0, event, given_staff

AS_ROOT = {"editor": "root", "role": "admin", "at": T0}
WITH_ADMIN = (event(Roster.MemberAdded, name="root", roles=("admin",), role=None),)


def test_the_first_member_added_to_an_empty_roster_is_an_admin() -> None:
    given_staff().when(
        lambda roster, cards: roster.add("ann", ["admin"], None, editor="ann", role=None, at=T0)
    ).then(event(Roster.MemberAdded, name="ann", roles=("admin",), editor="ann"), roles={"ann": ("admin",)})


def test_the_first_member_cannot_be_anything_but_an_admin() -> None:
    given_staff().when(
        lambda roster, cards: roster.add("bob", ["editor"], None, editor="bob", role=None, at=T0)
    ).then_refused(NoAdminYet, "bob can only be added as an admin")


def test_an_admin_adds_a_member_with_several_roles_recorded_in_the_roles_order() -> None:
    given_staff(*WITH_ADMIN).when(
        lambda roster, cards: roster.add("bob", ["legal", "editor"], None, **AS_ROOT)
    ).then(
        event(Roster.MemberAdded, name="bob", roles=("editor", "legal"), editor="root", role="admin"),
        roles={"bob": ("editor", "legal")},
    )


def test_adding_someone_already_on_the_staff_is_refused() -> None:
    given_staff(*WITH_ADMIN, event(Roster.MemberAdded, name="bob", roles=("editor",))).when(
        lambda roster, cards: roster.add("bob", ["legal"], cards.get("bob"), **AS_ROOT)
    ).then_refused(AlreadyOnStaff)


def test_a_member_needs_a_role() -> None:
    given_staff(*WITH_ADMIN).when(lambda roster, cards: roster.add("bob", [], None, **AS_ROOT)).then_refused(
        InvalidInput
    )


def test_an_unknown_role_is_refused() -> None:
    given_staff(*WITH_ADMIN).when(
        lambda roster, cards: roster.add("bob", ["janitor"], None, **AS_ROOT)
    ).then_refused(InvalidInput, "no role 'janitor'")


def test_granting_a_role_records_it_and_the_card_holds_both() -> None:
    given_staff(*WITH_ADMIN, event(Roster.MemberAdded, name="bob", roles=("editor",))).when(
        lambda roster, cards: roster.grant("bob", "legal", cards["bob"], **AS_ROOT)
    ).then(
        event(Roster.RoleGranted, name="bob", granted="legal", role="admin"),
        roles={"bob": ("editor", "legal")},
    )


def test_granting_a_role_already_held_is_refused() -> None:
    given_staff(*WITH_ADMIN, event(Roster.MemberAdded, name="bob", roles=("editor",))).when(
        lambda roster, cards: roster.grant("bob", "editor", cards["bob"], **AS_ROOT)
    ).then_refused(NothingToChange)


def test_granting_to_someone_not_on_the_staff_is_refused() -> None:
    given_staff(*WITH_ADMIN).when(
        lambda roster, cards: roster.grant("zed", "editor", cards.get("zed"), **AS_ROOT)
    ).then_refused(StaffMemberNotFound)


def test_revoking_a_role_leaves_the_others() -> None:
    given_staff(*WITH_ADMIN, event(Roster.MemberAdded, name="bob", roles=("editor", "legal"))).when(
        lambda roster, cards: roster.revoke("bob", "editor", cards["bob"], **AS_ROOT)
    ).then(event(Roster.RoleRevoked, name="bob", revoked="editor"), roles={"bob": ("legal",)})


def test_revoking_a_role_not_held_is_refused() -> None:
    given_staff(*WITH_ADMIN, event(Roster.MemberAdded, name="bob", roles=("editor",))).when(
        lambda roster, cards: roster.revoke("bob", "legal", cards["bob"], **AS_ROOT)
    ).then_refused(NothingToChange)


def test_revoking_someones_only_role_is_refused_in_favour_of_removing_them() -> None:
    given_staff(*WITH_ADMIN, event(Roster.MemberAdded, name="bob", roles=("editor",))).when(
        lambda roster, cards: roster.revoke("bob", "editor", cards["bob"], **AS_ROOT)
    ).then_refused(InvalidInput, "remove them")


def test_the_last_admin_cannot_lose_the_role() -> None:
    given_staff(event(Roster.MemberAdded, name="root", roles=("admin", "editor"), role=None)).when(
        lambda roster, cards: roster.revoke("root", "admin", cards["root"], **AS_ROOT)
    ).then_refused(LastAdmin)


def test_the_last_admin_cannot_be_removed() -> None:
    given_staff(*WITH_ADMIN).when(
        lambda roster, cards: roster.remove("root", cards["root"], **AS_ROOT)
    ).then_refused(LastAdmin)


def test_an_admin_can_step_down_once_there_is_another() -> None:
    given_staff(*WITH_ADMIN, event(Roster.MemberAdded, name="amy", roles=("admin",))).when(
        lambda roster, cards: roster.remove("root", cards["root"], **AS_ROOT)
    ).then(event(Roster.MemberRemoved, name="root"), roles={"root": ()})


def test_a_removed_member_can_be_added_again_on_the_same_card() -> None:
    outcome = given_staff(
        *WITH_ADMIN,
        event(Roster.MemberAdded, name="bob", roles=("editor",)),
        event(Roster.MemberRemoved, name="bob"),
    ).when(lambda roster, cards: roster.add("bob", ["contributor"], cards["bob"], **AS_ROOT))

    outcome.then(
        event(Roster.MemberAdded, name="bob", roles=("contributor",)), roles={"bob": ("contributor",)}
    )
    assert outcome.cards["bob"].version == 3


def test_the_roster_lists_members_by_name_with_who_added_them() -> None:
    roster = (
        given_staff(*WITH_ADMIN, event(Roster.MemberAdded, name="bob", roles=("editor",), editor="root"))
        .when(lambda r, c: None)
        .roster
    )

    assert [(m.name, m.roles, m.added_by) for m in roster.listed()] == [
        ("bob", ("editor",), "root"),
        ("root", ("admin",), "root"),
    ]
