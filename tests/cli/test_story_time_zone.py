"""`newsroom story timezone SLUG ZONE`: where readers are shown a story's times."""

from __future__ import annotations

from tests.cli.conftest import Run, events_of


def test_story_timezone_records_the_zone(run: Run) -> None:
    run("--as", "ann", "story", "open", "talks", "--headline", "Talks")

    result = run("--as", "ann", "story", "timezone", "talks", "Europe/London")

    assert (result.exit_code, result.stdout) == (0, "talks: times shown in Europe/London (version 2)\n")
    assert events_of(run, "talks")[-1]["data"] == {"time_zone": "Europe/London"}


def test_an_unknown_zone_is_refused_on_one_line_and_appends_nothing(run: Run) -> None:
    run("--as", "ann", "story", "open", "talks", "--headline", "Talks")

    result = run("--as", "ann", "story", "timezone", "talks", "Mars/Olympus")

    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "Mars/Olympus" in result.stderr
    assert len(events_of(run, "talks")) == 1
