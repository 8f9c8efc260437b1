"""Bad input: one line on stderr, a non-zero exit code, no traceback, nothing appended."""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.conftest import Run, events_of

SLUG = "syria-talks"


@pytest.fixture
def story(run: Run) -> str:
    run("--as", "ann", "story", "open", SLUG, "--headline", "Syria talks")
    run("--as", "ann", "update", "post", SLUG, "--title", "One", "--body", "> Quote\n>\n> - Someone")
    return SLUG


def assert_refused(result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("update", "post", "no-such", "--title", "T", "--body", "B"), 1, "no story with slug 'no-such'"),
        (("update", "revise", SLUG, "9", "--title", "T", "--reason", "R"), 1, "has no update 9"),
        (("update", "post", SLUG, "--title", "T", "--body", "   "), 1, "body is empty"),
        (("update", "post", SLUG, "--title", "T"), 2, "needs a body"),
        (
            ("update", "post", SLUG, "--title", "T", "--body-file", "/no/such/file.md"),
            2,
            "cannot read body file",
        ),
        (("quote", "correct", SLUG, "1", "2", "--text", "X", "--note", "N"), 1, "has no quote 2"),
        (("story", "open", "Bad Slug", "--headline", "H"), 1, "invalid slug"),
        (("story", "open", SLUG, "--headline", "H"), 1, "already exists"),
        (("story", "headline", SLUG, "", "--reason", "R"), 1, "headline is empty"),
        (
            ("update", "revise", SLUG, "1", "--title", "X", "--reason", "R", "--expect-version", "1"),
            1,
            "conflict",
        ),
        (("update", "post", SLUG, "--title", "T"), 2, "needs a body"),
        (("update", "post", SLUG, "--body", "B"), 2, "--title"),
    ],
)
def test_a_refused_command_says_why_and_appends_nothing(run: Run, story: str, args, code, fragment) -> None:
    before = events_of(run, story)

    assert_refused(run("--as", "ann", *args), code, fragment)
    assert events_of(run, story) == before


def test_a_write_without_an_editor_is_refused(run: Run, story: str, monkeypatch) -> None:
    monkeypatch.delenv("NEWSROOM_EDITOR", raising=False)
    before = events_of(run, story)

    assert_refused(run("update", "post", SLUG, "--title", "T", "--body", "B"), 2, "--as NAME")
    assert events_of(run, story) == before


def test_a_body_file_that_is_not_utf8_is_refused(run: Run, story: str, tmp_path) -> None:
    body = tmp_path / "latin1.md"
    body.write_bytes("caf\xe9".encode("latin-1"))

    assert_refused(
        run("--as", "ann", "update", "post", SLUG, "--title", "T", "--body-file", str(body)), 2, "UTF-8"
    )


def test_a_revise_against_a_stale_version_names_both_versions(run: Run, story: str) -> None:
    result = run(
        "--as", "ann", "update", "revise", SLUG, "1", "--title", "X", "--reason", "R", "--expect-version", "1"
    )

    assert_refused(result, 1, "version 2", "version 1")


def test_an_sqlite_path_in_a_missing_folder_is_refused_and_not_created(run: Run, tmp_path) -> None:
    missing = tmp_path / "nope" / "newsroom.db"

    assert_refused(run("story", "list", db=f"sqlite:///{missing}"), 1, "does not exist")
    assert not missing.parent.exists()


def test_a_file_that_is_not_a_database_is_refused(run: Run, tmp_path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a database" * 100)

    assert_refused(run("story", "list", db=f"sqlite:///{junk}"), 1, "not an SQLite database")
    assert junk.read_text().startswith("these are my notes")


def test_an_sqlite_database_of_another_program_is_refused(run: Run, tmp_path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")

    assert_refused(run("story", "list", db=f"sqlite:///{other}"), 1, "not a newsroom store")


def test_an_unreachable_postgres_is_refused(run: Run) -> None:
    assert_refused(run("story", "list", db="postgresql://postgres@127.0.0.1:1/test"), 1, "cannot reach")


def test_an_unsupported_url_is_refused(run: Run) -> None:
    assert_refused(run("story", "list", db="mysql://localhost/x"), 1, "unsupported database URL")
