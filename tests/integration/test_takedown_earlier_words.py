"""Taking down an update's earlier words (its submission, its scheduled post) and words that never
became updates: gone from every reading, the record of it kept, the audit passing."""

from __future__ import annotations

import json

import pytest

from domain.story import Story
from infrastructure.bootstrap import Services
from infrastructure.keys import update_key_id, words_key_id
from tests.integration.conftest import Run
from tests.integration.takedown_stories import (
    PHRASE,
    SLUG,
    read_ok,
    story_with_update_3,
    take_down_earlier,
    take_down_everything,
    updates_4_and_5_from_a_submission_and_a_schedule,
)


@pytest.fixture
def all_taken_down(newsroom: Services, run: Run) -> Services:
    return take_down_everything(newsroom, run)


def test_updates_from_a_submission_and_a_schedule_are_taken_down_with_their_earlier_words(
    all_taken_down: Services, run: Run
) -> None:
    story_id = Story.id_for(SLUG)
    keys = all_taken_down.keys.store  # the CLI destroyed them: this process may keep a copy
    outputs = [
        read_ok(run, "page", SLUG),
        read_ok(run, "history", SLUG, "--format", "json"),
        read_ok(run, "log"),
        read_ok(run, "events", SLUG, "--format", "json"),
        read_ok(run, "audit", "export"),
    ]

    for output in outputs:
        assert PHRASE not in output and "Zebra" not in output
    for key_id in (
        update_key_id(story_id, 4),
        update_key_id(story_id, 5),
        words_key_id(story_id, "submission", 1),
        words_key_id(story_id, "scheduled", 1),
    ):
        assert keys.key(key_id) is None and keys.is_destroyed(key_id), key_id
    events = json.loads(outputs[3])
    for kind in ("UpdateSubmitted", "SubmissionRevised", "SubmissionApproved", "UpdateScheduled"):
        event = next(e for e in events if e["type"] == kind)  # the first: update 4's or 5's
        assert event["data"]["erased"] == ["title", "byline", "body"], kind
    assert "every chain verifies" in read_ok(run, "audit", "verify")
    assert "the read models match" in read_ok(run, "audit", "replay")
    assert json.loads(read_ok(run, "keys", "status", "--format", "json"))["matches"]


def testwords_that_never_became_updates_are_shredded_and_the_record_says_so(
    all_taken_down: Services, run: Run
) -> None:
    story_id = Story.id_for(SLUG)
    keys = all_taken_down.keys.store
    events = json.loads(read_ok(run, "events", SLUG, "--format", "json"))
    history = json.loads(read_ok(run, "history", SLUG, "--format", "json"))

    for key_id in (
        words_key_id(story_id, "submission", 2),
        words_key_id(story_id, "submission", 3),
        words_key_id(story_id, "scheduled", 2),
    ):
        assert keys.key(key_id) is None and keys.is_destroyed(key_id), key_id
    words = [e for e in events if e["type"] in ("UpdateSubmitted", "SubmissionRevised", "UpdateScheduled")]
    assert len(words) == 7 and all(e["data"]["erased"] == ["title", "byline", "body"] for e in words)
    taken_down = [e for e in events if e["type"] in ("SubmissionTakenDown", "ScheduledPostTakenDown")]
    named = [(e["type"], e["data"].get("submission") or e["data"]["scheduled"]) for e in taken_down]
    assert named == [("SubmissionTakenDown", 2), ("SubmissionTakenDown", 3), ("ScheduledPostTakenDown", 2)]
    assert {e["data"]["order"] for e in taken_down} == {"HC-2013-118"}
    labels = [row["label"] for row in history]
    assert "Submission 2 taken down" in labels and "Scheduled post 2 taken down" in labels
    assert "every chain verifies" in read_ok(run, "audit", "verify")
    assert "the read models match" in read_ok(run, "audit", "replay")
    assert json.loads(read_ok(run, "keys", "status", "--format", "json"))["matches"]


def test_taking_down_earlier_words_again_finishes_the_job_and_records_nothing(
    all_taken_down: Services, run: Run
) -> None:
    version = all_taken_down.app.get_story(SLUG).version

    result = take_down_earlier(run, "takedown-submission", "2")

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{SLUG}: submission 2 was already taken down; its erasure is complete\n"
    assert all_taken_down.app.get_story(SLUG).version == version


@pytest.mark.parametrize(
    ("command", "number", "error"),
    [
        ("takedown-submission", "9", f"story '{SLUG}' has no submission 9; submissions are numbered 1 to 1; "
         f"`newsroom submissions {SLUG}` lists the pending ones"),
        ("takedown-submission", "1", f"submission 1 of '{SLUG}' became update 4: take that down with "
         f"`newsroom update takedown {SLUG} 4`"),
        ("takedown-scheduled", "1", f"scheduled post 1 of '{SLUG}' became update 5: take that down with "
         f"`newsroom update takedown {SLUG} 5`"),
    ],
)  # fmt: skip
def test_a_takedown_of_unknown_words_or_words_that_became_an_update_is_refused_in_one_line(
    newsroom: Services, run: Run, command: str, number: str, error: str
) -> None:
    story_with_update_3(newsroom)
    updates_4_and_5_from_a_submission_and_a_schedule(newsroom)
    version = newsroom.app.get_story(SLUG).version

    result = take_down_earlier(run, command, number)

    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {error}\n")
    assert newsroom.app.get_story(SLUG).version == version
