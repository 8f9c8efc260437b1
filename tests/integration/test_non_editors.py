"""No sequence of commands by contributors, admins or people not on the staff changes what readers
see: each editors' command they try is refused and appends nothing, and their submissions (with
their revisions and withdrawals, and an editor's rejections) leave the page as it was. The page
changes only when an editor approves a submission."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.application import Newsroom
from domain.errors import NewsroomError, NotOnStaff, NotPermitted
from infrastructure.bootstrap import build_newsroom

PEOPLE = ("cat", "root", "zed")
"""A contributor, the admin (who manages staff only) and someone not on the staff."""
COMMANDS = {
    "open_story": lambda app, who, n: app.open_story(f"new-{n}", "New", editor=who),
    "change_headline": lambda app, who, n: app.change_headline("s", f"H{n}", reason="R", editor=who),
    "change_standfirst": lambda app, who, n: app.change_standfirst("s", f"S{n}", editor=who),
    "publish_story": lambda app, who, n: app.publish_story("draft", editor=who),
    "close_story": lambda app, who, n: app.close_story("s", editor=who),
    "post_update": lambda app, who, n: app.post_update("s", f"T{n}", "Body.", editor=who),
    "revise_update": lambda app, who, n: app.revise_update("s", 1, title=f"T{n}", reason="R", editor=who),
    "correct_quote": lambda app, who, n: app.correct_quote("s", 1, 1, text=f"Q{n}", note="N", editor=who),
    "retract_update": lambda app, who, n: app.retract_update("s", 1, reason="R", editor=who),
    "pin_update": lambda app, who, n: app.pin_update("s", 1, editor=who),
    "mark_key_event": lambda app, who, n: app.mark_key_event("s", 1, editor=who),
}


def _newsroom(*contributors: str) -> Newsroom:
    """An in-memory newsroom: root the admin, ed the editor, the contributors, a published story
    "s" with one update (a quote) and a draft."""
    app = build_newsroom({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.add_staff("root", ["admin"], editor="root")
    app.add_staff("ed", ["editor"], editor="root")
    for name in contributors:
        app.add_staff(name, ["contributor"], editor="root")
    app.open_story("s", "A story", editor="ed")
    app.open_story("draft", "A draft", editor="ed")
    app.publish_story("s", editor="ed")
    app.post_update("s", "First", "> We are hopeful.\n>\n> – The spokesman", editor="ed")
    return app


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(sorted(COMMANDS))), max_size=12))
def test_no_command_by_a_non_editor_changes_any_story(steps: list[tuple[str, str]]) -> None:
    app = _newsroom("cat")
    before = app.recorder.max_notification_id()

    for n, (who, command) in enumerate(steps):
        try:
            COMMANDS[command](app, who, n)
        except (NotPermitted, NotOnStaff):
            continue
        except NewsroomError as error:
            raise AssertionError(f"{who} {command}: refused for another reason: {error}") from error
        raise AssertionError(f"{who} was allowed to {command}")

    assert app.recorder.max_notification_id() == before
    app.close()


SUBMITTING = {
    "submit_update": lambda app, who, n: app.submit_update(
        "s", f"Offered {n}", "From the field.", editor=who
    ),
    "revise_submission": lambda app, who, n: app.revise_submission(
        "s", _pending(app), title=f"R{n}", editor=who
    ),
    "withdraw_submission": lambda app, who, n: app.withdraw_submission("s", _pending(app), editor=who),
}
EDITING = {
    "approve_submission": lambda app, who, n: app.approve_submission("s", _pending(app), editor=who),
    "reject_submission": lambda app, who, n: app.reject_submission(
        "s", _pending(app), reason="No", editor=who
    ),
}
STEPS = [(who, c) for who in ("cat", "dan") for c in SUBMITTING] + [("ed", c) for c in EDITING]
STEPS += [(who, c) for who in PEOPLE for c in COMMANDS]


def _pending(app) -> int:
    """The oldest pending submission's number (1 if there is none: a refusal)."""
    pending = app.get_submissions("s")
    return pending[0].number if pending else 1


def _seen(app) -> tuple[object, ...]:
    """What readers see of the story: the page but its version and time."""
    page = app.get_page("s")
    return (page.header, list(page.updates))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(STEPS), max_size=16))
def test_what_readers_see_changes_only_when_an_editor_approves_a_submission(
    steps: list[tuple[str, str]],
) -> None:
    app = _newsroom("cat", "dan")

    for n, (who, command) in enumerate(steps):
        seen = _seen(app)
        try:
            {**COMMANDS, **SUBMITTING, **EDITING}[command](app, who, n)
        except NewsroomError:
            assert _seen(app) == seen
            continue
        if command == "approve_submission":
            assert len(_seen(app)[1]) == len(seen[1]) + 1  # type: ignore[arg-type]
        else:
            assert command in (*SUBMITTING, "reject_submission"), f"{who} was allowed to {command}"
            assert _seen(app) == seen
    app.close()
