"""The CLI words each refusal: the domain error's facts, then what to type next."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cli.messages import COMMAND_WORDS, refusal_message
from domain.errors import (
    NewsroomError,
    NoEditorNamed,
    NothingToCorrect,
    NothingToRevise,
    RequestIdReused,
    StoryAlreadyExists,
    StoryBusy,
    StoryNotFound,
    UpdateNotFound,
    UpdateRetracted,
    VersionConflict,
)
from domain.request import COMMAND_IDS_OF_VERSION_1

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
        StoryBusy("syria", 200),
        "story 'syria' changed under this command 200 times running; nothing was written: try again",
    ),
    (UpdateNotFound("syria", 4, 3), "story 'syria' has no update 4; updates are numbered 1 to 3"),
]


@pytest.mark.parametrize(("error", "message"), MESSAGES, ids=[type(e).__name__ for e, _ in MESSAGES])
def test_a_refusal_reads_as_the_facts_then_the_hint(error: NewsroomError, message: str) -> None:
    assert refusal_message(error) == message


@pytest.mark.parametrize("error", [e for e, _ in MESSAGES], ids=[type(e).__name__ for e, _ in MESSAGES])
def test_a_domain_error_names_no_command_flag_or_variable(error: NewsroomError) -> None:
    assert not any(word in str(error) for word in ("--", "newsroom ", "NEWSROOM_", "`"))


def test_every_command_a_request_can_record_has_its_words() -> None:
    added_since_version_1 = {"change_time_zone"}

    assert set(COMMAND_WORDS) == set(COMMAND_IDS_OF_VERSION_1.values()) | added_since_version_1
