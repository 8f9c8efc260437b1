"""Scheduling through the real CLI: a post and a publication recorded for later, refusals that
append nothing, `newsroom schedule` listing what waits, and unscheduling."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli.conftest import Run, events_of

SLUG = "vote"
LATER = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)


@pytest.fixture
def story(run: Run) -> None:
    assert run("--as", "ann", "story", "open", SLUG, "--headline", "The vote").exit_code == 0


def schedule_post(run: Run, at: str) -> tuple[int, str, str]:
    result = run(
        "--as", "ann", "update", "post", SLUG, "--title", "Result", "--body", "Passed.", "--publish-at", at
    )
    return result.exit_code, result.stdout, result.stderr


def test_a_post_is_scheduled_and_listed_and_readers_see_nothing(run: Run, story: None) -> None:
    assert schedule_post(run, LATER.isoformat()) == (
        0,
        f"{SLUG}: post 1 scheduled for {LATER.isoformat()}\n",
        "",
    )

    listed = json.loads(run("schedule", "--format", "json").stdout)
    assert listed == [
        {
            "slug": SLUG, "what": "post", "number": 1, "title": "Result",
            "publish_at": LATER.isoformat()[:-6] + "Z", "scheduled_by": "ann",
        }
    ]  # fmt: skip
    assert run("schedule").stdout == f"{LATER.isoformat()[:-6]}Z  {SLUG}  post 1: Result\n"
    assert json.loads(run("page", SLUG, "--format", "json").stdout)["updates"] == []
    assert events_of(run, SLUG)[-1]["type"] == "UpdateScheduled"
    history = json.loads(run("history", SLUG, "--format", "json").stdout)
    assert (history[-1]["label"], history[-1]["after"]["publish_at"]) == (
        "Post 1 scheduled",
        listed[0]["publish_at"],
    )


@pytest.mark.parametrize(
    ("at", "words"),
    [
        ("2099-05-10T12:00", "names no time zone: add one"),
        ("2001-05-10T12:00Z", "has already passed"),
    ],
)
def test_a_time_without_a_zone_or_in_the_past_is_refused_and_nothing_appended(
    run: Run, story: None, at: str, words: str
) -> None:
    before = events_of(run, SLUG)

    code, out, err = schedule_post(run, at)

    assert (code, out) == (1, "")
    assert words in err and err.count("\n") == 1
    assert events_of(run, SLUG) == before


def test_a_story_publication_is_scheduled_and_unscheduled(run: Run, story: None) -> None:
    result = run("--as", "ann", "story", "publish", SLUG, "--at", LATER.isoformat())
    assert (result.exit_code, result.stdout) == (
        0,
        f"{SLUG}: publication scheduled for {LATER.isoformat()}\n",
    )
    assert [d["what"] for d in json.loads(run("schedule", "--format", "json").stdout)] == ["publication"]
    assert json.loads(run("story", "list", "--format", "json").stdout)[0]["status"] == "draft"

    assert run("--as", "ann", "story", "unschedule", SLUG).exit_code == 0
    assert run("schedule").stdout == "nothing scheduled\n"


def test_a_scheduled_post_is_unscheduled(run: Run, story: None) -> None:
    schedule_post(run, LATER.isoformat())

    result = run("--as", "ann", "update", "unschedule", SLUG, "1")

    assert (result.exit_code, result.stdout) == (0, f"{SLUG}: post 1 unscheduled\n")
    again = run("--as", "ann", "update", "unschedule", SLUG, "1")
    assert again.exit_code == 1 and "`newsroom schedule` lists what waits" in again.stderr
