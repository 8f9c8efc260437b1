"""`newsroom seed` reads and checks every seed file whole before it writes: a bad file is refused in
one line naming the file, the story and the field, and the store is left as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import Run

GOOD = """
slug = "syria-talks"
headline = "Syria talks"
status = "live"

[[updates]]
title = "Talks begin"
body = "First."
"""


def seed_file(folder: Path, text: str, name: str = "story.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def store_path(sqlite_url: str) -> Path:
    return Path(sqlite_url.removeprefix("sqlite:///"))


def assert_refused_with_nothing_written(result: Result, sqlite_url: str, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    store = store_path(sqlite_url)
    if store.exists():
        with sqlite3.connect(store) as connection:
            assert connection.execute("SELECT count(*) FROM stored_events").fetchone() == (0,)
    return lines[0]


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        pytest.param(
            GOOD.replace('title = "Talks begin"', "title = 42"),
            ["story 'syria-talks'", "update 1 title", "must be text, not a number"],
            id="a number where a title belongs",
        ),
        pytest.param(
            GOOD.replace('body = "First."', 'body = ["First.", "Second."]'),
            ["update 1 body", "must be text, not a list"],
            id="a list for a body",
        ),
        pytest.param(
            GOOD.replace('headline = "Syria talks"\n', ""), ["headline", "is missing"], id="no headline"
        ),
        pytest.param(GOOD.replace('slug = "syria-talks"\n', ""), ["slug", "is missing"], id="no slug"),
        pytest.param(
            GOOD.replace('status = "live"', 'status = "live"\nauthor = "Ann"'),
            ["unknown key 'author'"],
            id="an unknown key",
        ),
        pytest.param(
            GOOD.replace('body = "First."', 'body = "First."\nkey_events = true'),
            ["update 1", "unknown key 'key_events'"],
            id="an unknown key in an update",
        ),
        pytest.param(
            GOOD + "deep = " + "[" * 50_000 + "]" * 50_000 + "\n",
            ["not valid TOML", "nested too deeply"],
            id="nesting too deep for the parser",
        ),
        pytest.param(GOOD + "[[updates]\n", ["not valid TOML"], id="not TOML"),
        pytest.param(
            GOOD.replace('status = "live"', 'status = "published"'),
            ["status", "must be one of draft, live, closed"],
            id="an unknown status",
        ),
        pytest.param(
            GOOD.replace('status = "live"', 'status = "live"\nupdates = "none"').split("[[updates]]")[0],
            ["updates", "must be a list"],
            id="updates that are not a list",
        ),
        pytest.param(
            GOOD.split("[[updates]]")[0] + "updates = [1, 2]\n",
            ["update 1", "must be a table, not a number"],
            id="an update that is not a table",
        ),
        pytest.param(
            GOOD.replace('key_event = "yes"', "").replace(
                'body = "First."', 'body = "First."\nkey_event = "yes"'
            ),
            ["update 1 key_event", "must be true or false, not text"],
            id="text for a flag",
        ),
    ],
)
def test_a_malformed_seed_file_is_refused_in_one_line_and_appends_nothing(
    run: Run, sqlite_url: str, tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = seed_file(tmp_path, text)

    result = run("seed", str(path))

    line = assert_refused_with_nothing_written(result, sqlite_url, "story.toml", *fragments)
    assert "nothing was appended" in line


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        pytest.param(GOOD.replace('"syria-talks"', '"Syria Talks!"'), ["invalid slug"], id="a bad slug"),
        pytest.param(
            GOOD.replace('title = "Talks begin"', f'title = "{"t" * 201}"'),
            ["update 1", "title is 201 characters long; the limit is 200"],
            id="a title over the limit",
        ),
        pytest.param(
            GOOD.replace('body = "First."', 'body = "   "'),
            ["update 1", "the body is empty"],
            id="an empty body",
        ),
        pytest.param(
            GOOD.replace('headline = "Syria talks"', 'headline = "Syria\\u0007talks"'),
            ["headline", "control characters"],
            id="a control character in the headline",
        ),
    ],
)
def test_a_seed_story_the_domain_would_refuse_is_refused_before_anything_is_written(
    run: Run, sqlite_url: str, tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = seed_file(tmp_path, text)

    result = run("seed", str(path))

    assert_refused_with_nothing_written(result, sqlite_url, "story.toml", *fragments)


def test_a_bad_update_late_in_the_story_is_found_before_the_story_is_opened(
    run: Run, sqlite_url: str, tmp_path: Path
) -> None:
    text = GOOD + '\n[[updates]]\ntitle = "Two"\nbody = "Second."\n\n[[updates]]\ntitle = "Three"\n'
    path = seed_file(tmp_path, text)

    result = run("seed", str(path))

    assert_refused_with_nothing_written(
        result, sqlite_url, "story 'syria-talks'", "update 3 body", "is missing"
    )


def test_a_bad_file_in_a_folder_stops_the_good_ones_too(run: Run, sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    seed_file(folder, GOOD, "a-good.toml")
    seed_file(
        folder, GOOD.replace("syria-talks", "other").replace('title = "Talks begin"', "title = 1"), "b.toml"
    )

    result = run("seed", str(folder))

    assert_refused_with_nothing_written(result, sqlite_url, "b.toml", "story 'other'", "update 1 title")


def test_a_good_seed_file_still_loads_and_a_second_run_appends_nothing(run: Run, tmp_path: Path) -> None:
    path = seed_file(tmp_path, GOOD)

    first = run("seed", str(path))
    again = run("seed", str(path))

    assert first.exit_code == 0 and first.stdout == "syria-talks: opened, published, 1 update posted\n"
    assert again.exit_code == 0 and "already seeded, nothing appended" in again.stdout
