"""Hostile and malformed input: stored faithfully, or refused with one clear line; never a
traceback, never a partial write."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import newsroom
from domain.rules import BODY_MAX, SLUG_PATTERN
from tests.cli.conftest import Run, events_of

SLUG = "hostile"
NASTY = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE stored_events;--",
            "\u202eevil\u202c",
            "r\u00e9sum\u00e9 \u0440\u0430\u0443\u0440\u0430\u0406",
            "line\nbreak",
            "nul\x00byte",
            "\x1b[2J",
            "   ",
            "\ud800",
        ]
    ),
)


@pytest.fixture
def hostile(run: Run) -> Run:
    assert run("--as", "ann", "story", "open", SLUG, "--headline", "Hostile input").exit_code == 0
    return run


def assert_clean_refusal(result) -> None:
    assert result.exit_code in (1, 2), result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=NASTY, body=NASTY)
def test_a_post_is_stored_as_typed_or_refused_cleanly(hostile: Run, title: str, body: str) -> None:
    before = events_of(hostile, SLUG)

    result = hostile("--as", "ann", "update", "post", SLUG, "--title", title, "--body", body)

    after = events_of(hostile, SLUG)
    if result.exit_code == 0:
        assert len(after) == len(before) + 1
        assert after[-1]["data"]["title"] == title.strip()
    else:
        assert_clean_refusal(result)
        assert after == before


@settings(max_examples=25, deadline=None)
@given(slug=NASTY.filter(lambda s: not SLUG_PATTERN.fullmatch(s)))
def test_a_slug_outside_the_documented_set_is_refused(slug: str, tmp_path_factory) -> None:
    db = tmp_path_factory.mktemp("slugs") / "n.db"
    runner = CliRunner()

    # After `--`, a slug such as "-0" reaches the slug rules rather than the option parser.
    result = runner.invoke(
        newsroom, ["--db", f"sqlite:///{db}", "--as", "ann", "story", "open", "--headline", "H", "--", slug]
    )

    assert_clean_refusal(result)
    assert "invalid slug" in result.stderr


def test_a_body_over_the_limit_is_refused_with_the_limit(hostile: Run) -> None:
    result = hostile("--as", "ann", "update", "post", SLUG, "--title", "Big", "--body", "x" * (BODY_MAX + 1))

    assert_clean_refusal(result)
    assert str(BODY_MAX) in result.stderr
    assert len(events_of(hostile, SLUG)) == 1


def test_html_and_sql_in_a_body_are_stored_as_typed(hostile: Run) -> None:
    body = "A story about the <script> tag and '; DROP TABLE stories;--"

    assert hostile("--as", "ann", "update", "post", SLUG, "--title", "T", "--body", body).exit_code == 0

    page = json.loads(hostile("page", SLUG, "--format", "json").stdout)
    assert page["updates"][0]["blocks"] == [{"kind": "paragraph", "text": body}]


def test_an_editor_name_with_control_characters_is_refused(hostile: Run) -> None:
    result = hostile("--as", "ann\x1b[31m", "update", "post", SLUG, "--title", "T", "--body", "B")

    assert_clean_refusal(result)
    assert "editor name" in result.stderr
