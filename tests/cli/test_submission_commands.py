"""Submissions through the real CLI: a contributor submits, revises and withdraws; an editor
approves or rejects; readers see the update only once approved. Exit codes, words, events."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Run, events_of

SLUG = "syria-talks"


@pytest.fixture
def story(run: Run) -> None:
    """ann the admin, ed an editor, cat a contributor, and a live story."""
    for args in (("ann", "--role", "admin"), ("ed", "--role", "editor"), ("cat", "--role", "contributor")):
        assert run("--as", "ann", "staff", "add", *args).exit_code == 0
    assert run("--as", "ed", "story", "open", SLUG, "--headline", "Syria talks").exit_code == 0
    assert run("--as", "ed", "story", "publish", SLUG).exit_code == 0


def submit(run: Run, title: str = "From the field", who: str = "cat") -> str:
    result = run("--as", who, "update", "submit", SLUG, "--title", title, "--body", "Crowds gather.")
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def page_json(run: Run) -> dict[str, object]:
    return dict(json.loads(run("page", SLUG, "--format", "json").stdout))


def test_a_submission_prints_its_number_and_readers_see_nothing(run: Run, story: None) -> None:
    before = page_json(run)

    assert (submit(run), submit(run, "Second")) == ("1\n", "2\n")
    after = page_json(run)
    assert after["updates"] == before["updates"] == [] and after["headline"] == before["headline"]
    assert events_of(run, SLUG)[-1]["data"]["role"] == "contributor"


def test_submissions_json_lists_the_pending_ones(run: Run, story: None) -> None:
    submit(run)
    submit(run, "Second")
    run("--as", "cat", "update", "withdraw", SLUG, "1")

    listed = json.loads(run("submissions", SLUG, "--format", "json").stdout)

    assert [(s["number"], s["title"], s["submitted_by"]) for s in listed] == [(2, "Second", "cat")]
    assert listed[0]["submitted_at"].endswith("Z")


def test_submissions_text_says_when_none_are_pending(run: Run, story: None) -> None:
    assert run("submissions", SLUG).stdout == f"{SLUG}: no pending submissions\n"


def test_an_approval_posts_the_next_update_recording_who_submitted_and_approved_it(
    run: Run, story: None
) -> None:
    submit(run)
    run("--as", "cat", "update", "revise-submission", SLUG, "1", "--title", "From the square")

    result = run("--as", "ed", "update", "approve", SLUG, "1", "--key-event")

    assert (result.exit_code, result.stdout) == (0, "1\n")
    approved = events_of(run, SLUG)[-1]
    assert (approved["type"], approved["editor"], approved["data"]["submitted_by"]) == (
        "SubmissionApproved",
        "ed",
        "cat",
    )
    update = page_json(run)["updates"][0]  # type: ignore[index]
    assert (update["number"], update["title"], update["key_event"]) == (1, "From the square", True)
    assert json.loads(run("submissions", SLUG, "--format", "json").stdout) == []


def test_the_history_shows_the_whole_path(run: Run, story: None) -> None:
    submit(run)
    submit(run, "Rumour")
    run("--as", "cat", "update", "revise-submission", SLUG, "1", "--body", "Thousands gather.")
    run("--as", "ed", "update", "reject", SLUG, "2", "--reason", "Unsourced")
    run("--as", "ed", "update", "approve", SLUG, "1")

    history = json.loads(run("history", SLUG, "--format", "json").stdout)

    assert [(h["label"], h["editor"], h["reason"]) for h in history[2:]] == [
        ("Submission 1 submitted", "cat", None),
        ("Submission 2 submitted", "cat", None),
        ("Submission 1 revised", "cat", None),
        ("Submission 2 rejected", "ed", "Unsourced"),
        ("Submission 1 approved as update 1", "ed", None),
    ]
    assert history[-1]["after"]["submitted_by"] == "cat"


def test_a_contributor_cannot_approve_and_nothing_is_appended(run: Run, story: None) -> None:
    submit(run)
    before = events_of(run, SLUG)

    result = run("--as", "cat", "update", "approve", SLUG, "1")

    assert (result.exit_code, result.stderr) == (
        1,
        "Error: cat is a contributor: only an editor may approve a submission\n",
    )
    assert events_of(run, SLUG) == before


def test_only_the_submitter_may_withdraw(run: Run, story: None) -> None:
    submit(run)

    result = run("--as", "ed", "update", "withdraw", SLUG, "1")

    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: submission 1 of '{SLUG}' was made by cat: only they may revise or withdraw it\n",
    )


def test_approving_a_settled_submission_points_to_the_pending_ones(run: Run, story: None) -> None:
    submit(run)
    run("--as", "ed", "update", "reject", SLUG, "1", "--reason", "No")

    result = run("--as", "ed", "update", "approve", SLUG, "1")

    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: submission 1 of '{SLUG}' is no longer pending; "
        f"`newsroom submissions {SLUG}` lists the pending ones\n",
    )


def test_the_text_history_says_who_submitted_an_approved_update(run: Run, story: None) -> None:
    submit(run)
    run("--as", "ed", "update", "approve", SLUG, "1")

    lines = run("history", SLUG).stdout.splitlines()

    assert "Submission 1 approved as update 1" in lines[-2] and lines[-1].strip() == "submitted by cat"
