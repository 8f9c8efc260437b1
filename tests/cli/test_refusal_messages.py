"""The CLI words each refusal: the domain error's facts, then what to type next."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cli.main import newsroom
from cli.messages import refusal_message
from cli.write_options import commands_made_by
from domain.errors import (
    LastAdmin,
    NewsroomError,
    NoAdminYet,
    NoEditorNamed,
    NothingToCorrect,
    NothingToRevise,
    NotOnStaff,
    NotPermitted,
    NotSubmitter,
    RequestIdReused,
    StaffBusy,
    StaffMemberNotFound,
    StoryAlreadyExists,
    StoryBusy,
    StoryNotFound,
    SubmissionNotFound,
    SubmissionNotPending,
    UpdateNotFound,
    UpdateRetracted,
    VersionConflict,
)
from tests.unit.test_commands import RECORDED_IDS

MESSAGES = [
    (StoryNotFound("syria"), "no story with slug 'syria'; `newsroom story list` shows the stories"),
    (
        StoryNotFound("syria", at=datetime(2013, 5, 10, tzinfo=UTC)),
        "story 'syria' did not exist yet at 2013-05-10T00:00:00+00:00; give a later time",
    ),
    (StoryAlreadyExists("syria"), "a story with slug 'syria' already exists; choose another slug"),
    (
        UpdateRetracted("syria", 2),
        "update 2 of 'syria' has been retracted and cannot be changed; post a new update instead",
    ),
    (
        NothingToRevise("syria", 2),
        "the revision leaves update 2 of 'syria' as it is: give a different --title or --body",
    ),
    (NothingToCorrect("syria", 2, 1), "nothing to correct: give --text, --attribution or both"),
    (NoEditorNamed(), "no editor named: pass --as NAME or set NEWSROOM_EDITOR"),
    (
        VersionConflict("syria", 2, 3),
        "conflict: story 'syria' is at version 3, not the version 2 you expected; "
        "review `newsroom events` and retry with --expect-version 3",
    ),
    (
        RequestIdReused("req-1", "open_story", "syria"),
        "request id 'req-1' was already used for `story open` on 'syria'; "
        "use a new request id for a different command",
    ),
    (
        RequestIdReused("req-2", "schedule_update", "syria"),
        "request id 'req-2' was already used for `update post --publish-at` on 'syria'; "
        "use a new request id for a different command",
    ),
    (
        StoryBusy("syria", 200),
        "story 'syria' changed under this command 200 times running; nothing was written: try again",
    ),
    (UpdateNotFound("syria", 4, 3), "story 'syria' has no update 4; updates are numbered 1 to 3"),
    (
        NotPermitted(
            "ann", ("contributor",), "publish_story", "publish a story", "a contributor", "an editor"
        ),
        "ann is a contributor: only an editor may publish a story",
    ),
    (
        NotOnStaff("zed", "post_update", "post an update", "an editor"),
        "zed is not on the staff: only an editor may post an update; "
        "an admin adds staff with `newsroom staff add NAME --role ROLE`",
    ),
    (
        NoAdminYet("bob"),
        "the staff has no admin yet, so bob can only be added as an admin: "
        "`newsroom staff add bob --role admin`",
    ),
    (
        LastAdmin("ann"),
        "ann is the last admin: the staff needs one; make someone else an admin first "
        "(`newsroom staff grant NAME admin`)",
    ),
    (StaffMemberNotFound("zed"), "zed is not on the staff; `newsroom staff list` shows the staff"),
    (
        SubmissionNotFound("syria", 3, 2),
        "story 'syria' has no submission 3; submissions are numbered 1 to 2; "
        "`newsroom submissions syria` lists the pending ones",
    ),
    (
        SubmissionNotPending("syria", 1),
        "submission 1 of 'syria' is no longer pending; `newsroom submissions syria` lists the pending ones",
    ),
    (
        NotSubmitter("syria", 1, "ed", "cat"),
        "submission 1 of 'syria' was made by cat: only they may revise or withdraw it",
    ),
    (
        StaffBusy(200),
        "the staff changed under this command 200 times running; nothing was written: try again",
    ),
]


@pytest.mark.parametrize(("error", "message"), MESSAGES, ids=[type(e).__name__ for e, _ in MESSAGES])
def test_a_refusal_reads_as_the_facts_then_the_hint(error: NewsroomError, message: str) -> None:
    assert refusal_message(error) == message


@pytest.mark.parametrize("error", [e for e, _ in MESSAGES], ids=[type(e).__name__ for e, _ in MESSAGES])
def test_a_domain_error_names_no_command_flag_or_variable(error: NewsroomError) -> None:
    assert not any(word in str(error) for word in ("--", "newsroom ", "NEWSROOM_", "`"))


def test_every_command_a_request_can_record_has_its_words_in_the_click_tree() -> None:
    assert set(commands_made_by(newsroom)) == RECORDED_IDS  # and no CLI command names another
