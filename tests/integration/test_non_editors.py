"""No sequence of commands by contributors, admins or people not on the staff changes anything a
story holds (so nothing readers see): every one is refused and appends nothing. (Submissions,
the contributors' way onto the page through an editor's approval, are still to come.)"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(sorted(COMMANDS))), max_size=12))
def test_no_command_by_a_non_editor_changes_any_story(steps: list[tuple[str, str]]) -> None:
    app = build_newsroom({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.add_staff("root", ["admin"], editor="root")
    app.add_staff("ed", ["editor"], editor="root")
    app.add_staff("cat", ["contributor"], editor="root")
    app.open_story("s", "A story", editor="ed")
    app.open_story("draft", "A draft", editor="ed")
    app.publish_story("s", editor="ed")
    app.post_update("s", "First", "> We are hopeful.\n>\n> – The spokesman", editor="ed")
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
