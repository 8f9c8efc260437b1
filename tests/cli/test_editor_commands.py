"""Editors' commands through the real CLI: exit codes, output and the events that resulted."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Run, events_of

SLUG = "syria-talks"


@pytest.fixture
def story(run: Run) -> str:
    assert run("--as", "ann", "story", "open", SLUG, "--headline", "Syria talks").exit_code == 0
    return SLUG


def test_post_prints_the_new_update_number(run: Run, story: str) -> None:
    first = run("--as", "ann", "update", "post", story, "--title", "One", "--body", "First.")
    second = run("--as", "bob", "update", "post", story, "--title", "Two", "--body", "-", input="Second.")

    assert (first.exit_code, first.stdout) == (0, "1\n")
    assert (second.exit_code, second.stdout) == (0, "2\n")
    assert [(e["type"], e["editor"]) for e in events_of(run, story)] == [
        ("Opened", "ann"),
        ("UpdatePosted", "ann"),
        ("UpdatePosted", "bob"),
    ]


def test_body_file_is_read_as_markdown(run: Run, story: str, tmp_path) -> None:
    body = tmp_path / "update.md"
    body.write_text("> We are hopeful.\n>\n> – The spokesman\n", encoding="utf-8")

    result = run("--as", "ann", "update", "post", story, "--title", "Quote", "--body-file", str(body))

    assert result.exit_code == 0
    assert events_of(run, story)[-1]["data"]["body"] == [
        {"kind": "quote", "text": "We are hopeful.", "attribution": "The spokesman"}
    ]


def test_page_json_lists_pinned_first_then_newest_first_without_retracted(run: Run, story: str) -> None:
    for title in ("One", "Two", "Three", "Four"):
        run("--as", "ann", "update", "post", story, "--title", title, "--body", f"{title}.")
    run("--as", "ann", "update", "pin", story, "2")
    run("--as", "ann", "update", "retract", story, "3", "--reason", "Legal advice")

    page = json.loads(run("page", story, "--format", "json").stdout)

    assert [(u["number"], u["pinned"]) for u in page["updates"]] == [(2, True), (4, False), (1, False)]
    assert set(page) >= {"slug", "headline", "standfirst", "status", "version", "updates"}
    assert set(page["updates"][0]) >= {
        "number",
        "title",
        "byline",
        "posted_at",
        "pinned",
        "key_event",
        "blocks",
        "corrections",
    }


def test_text_page_marks_a_draft_and_shows_correction_notes(run: Run, story: str) -> None:
    run("--as", "ann", "update", "post", story, "--title", "Q", "--body", "> Old words\n>\n> - Minister")
    run("--as", "ann", "quote", "correct", story, "1", "1", "--text", "New words", "--note", "Misquote fixed")

    text = run("page", story).stdout

    assert "DRAFT" in text
    assert "New words" in text and "Old words" not in text
    assert "Misquote fixed" in text and "Corrected at" in text


def test_story_list_json_has_slug_headline_status_version(run: Run, story: str) -> None:
    run("--as", "ann", "story", "publish", story)

    assert json.loads(run("story", "list", "--format", "json").stdout) == [
        {"slug": story, "headline": "Syria talks", "status": "live", "version": 2}
    ]


def test_events_json_has_version_type_at_editor_and_data(run: Run, story: str) -> None:
    event = events_of(run, story)[0]

    assert event["version"] == 1 and event["type"] == "Opened" and event["editor"] == "ann"
    assert event["at"].endswith("Z")
    assert event["data"] == {"slug": story, "headline": "Syria talks", "standfirst": None}


def test_seed_then_page_shows_the_seed_story(run: Run) -> None:
    assert run("--as", "x", "seed").exit_code == 0
    again = run("seed")

    assert "already seeded" in again.stdout
    assert "Disputes over Syria summit plan" in run("page", "disputes-over-syria-summit-plan").stdout


def test_version_and_help_explain_themselves(run: Run) -> None:
    assert run("--version").stdout.startswith("newsroom, version")
    for command in (["--help"], ["update", "post", "--help"], ["quote", "correct", "--help"]):
        result = run(*command)
        assert result.exit_code == 0 and "Example" in result.stdout


def test_a_repeated_command_with_a_request_id_prints_the_first_result(run: Run, story: str) -> None:
    args = ("--as", "ann", "update", "post", story, "--title", "One", "--body", "B", "--request-id", "r1")
    first, again = run(*args), run(*args)

    assert (first.exit_code, first.stdout) == (0, "1\n")
    assert (again.exit_code, again.stdout) == (0, "1\n")
    assert len(events_of(run, story)) == 2


def test_a_request_id_reused_by_another_command_is_refused_naming_the_first_in_the_cli_s_words(
    run: Run, story: str
) -> None:
    run("--as", "ann", "update", "post", story, "--title", "Later", "--body", "B", "--publish-at",
        "2100-01-01T00:00Z", "--request-id", "r1")  # fmt: skip
    before = events_of(run, story)

    reused = run("--as", "ann", "update", "pin", story, "1", "--request-id", "r1")

    assert reused.exit_code != 0
    assert reused.stderr == (
        f"Error: request id 'r1' was already used for `update post --publish-at` on {story!r}; "
        "use a new request id for a different command\n"
    )
    assert events_of(run, story) == before
