"""The read side through the real CLI: page (now, --version, --at, html), history, diff, projections."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from domain.page_fold import PageFold
from infrastructure.bootstrap import bootstrap
from infrastructure.page_json import page_to_dict
from tests.cli.conftest import Run, events_of
from tests.seed_content import SEED_SLUG, missing_or_out_of_order

SLUG = SEED_SLUG


@pytest.fixture
def seeded(run: Run) -> str:
    """The seed story, then a few edits, so that every kind of change has a version to travel to."""
    assert run("--as", "x", "seed").exit_code == 0
    for args in (
        ("story", "headline", SLUG, "Syria summit plan in doubt", "--reason", "News moved on"),
        (
            "quote",
            "correct",
            SLUG,
            "2",
            "1",
            "--attribution",
            "A Downing Street spokesman",
            "--note",
            "Attribution",
        ),
        ("update", "pin", SLUG, "5"),
        ("update", "key-event", SLUG, "3"),
        ("update", "revise", SLUG, "1", "--title", "Cameron to talk Syria with Putin", "--reason", "Clearer"),
        ("update", "retract", SLUG, "4", "--reason", "Legal advice"),
    ):
        result = run("--as", "ann", *args)
        assert result.exit_code == 0, result.output
    return SLUG


def folded_page(url: str, version: int) -> dict:
    """The page at `version`, folded here from the events the store returns, independently."""
    newsroom = bootstrap(url)
    try:
        events = newsroom.app.get_events(SLUG)[:version]
    finally:
        newsroom.close()
    return page_to_dict(PageFold.of(events).page())


def test_the_page_comes_from_the_read_model_and_equals_the_fold(
    run: Run, seeded: str, sqlite_url: str
) -> None:
    page = json.loads(run("page", seeded, "--format", "json").stdout)

    assert page == folded_page(sqlite_url, len(events_of(run, seeded)))
    assert [u["number"] for u in page["updates"]][:2] == [5, 3]
    assert 4 not in [u["number"] for u in page["updates"]]


def test_every_version_of_the_seed_story_can_be_shown_by_version_and_by_time(
    run: Run, seeded: str, sqlite_url: str
) -> None:
    for event in events_of(run, seeded):
        by_version = run("page", seeded, "--version", str(event["version"]), "--format", "json")
        by_time = run("page", seeded, "--at", event["at"], "--format", "json")

        assert by_version.exit_code == 0, by_version.output
        assert json.loads(by_version.stdout) == folded_page(sqlite_url, event["version"])
        assert json.loads(by_time.stdout)["version"] == event["version"]


def test_a_time_before_the_story_or_a_version_after_it_is_refused(run: Run, seeded: str) -> None:
    last = len(events_of(run, seeded))
    early = run("page", seeded, "--at", "2000-01-01T00:00:00Z")
    late = run("page", seeded, "--version", str(last + 1))

    assert early.exit_code == 1 and "did not exist yet" in early.stderr
    assert late.exit_code == 1 and f"versions are 1 to {last}" in late.stderr


def test_a_diff_between_every_two_consecutive_versions_marks_only_real_words(run: Run, seeded: str) -> None:
    versions = [e["version"] for e in events_of(run, seeded)]
    for old, new in zip(versions, versions[1:], strict=False):
        result = run("diff", seeded, str(old), str(new))
        old_text = run("page", seeded, "--version", str(old)).stdout
        new_text = run("page", seeded, "--version", str(new)).stdout

        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[0].startswith(f"--- {seeded} version {old}")
        for removed in re.findall(r"\[-(.*?)-\]", result.stdout):
            assert " ".join(removed.split()) in " ".join(old_text.split())
        for added in re.findall(r"\{\+(.*?)\+\}", result.stdout):
            assert " ".join(added.split()) in " ".join(new_text.split())


def test_a_diff_shows_a_corrected_attribution_word_by_word(run: Run, seeded: str) -> None:
    version = next(e["version"] for e in events_of(run, seeded) if e["type"] == "QuoteCorrected")

    result = run("diff", seeded, str(version - 1), str(version))

    assert "\u2013 [-The Prime Minister's-] {+A Downing Street+} spokesman" in result.stdout
    assert "{+Corrected at" in result.stdout
    assert run("diff", seeded, "3", "3").stdout.endswith("(no visible change)\n")


def test_history_json_has_one_object_per_event_with_labels(run: Run, seeded: str) -> None:
    history = json.loads(run("history", seeded, "--format", "json").stdout)

    assert [h["version"] for h in history] == [e["version"] for e in events_of(run, seeded)]
    assert set(history[0]) == {
        "version",
        "at",
        "editor",
        "type",
        "update",
        "label",
        "reason",
        "before",
        "after",
    }
    labels = [h["label"] for h in history]
    assert "Headline changed" in labels and "Quote 1 corrected in update 2" in labels
    headline = history[labels.index("Headline changed")]
    assert headline["before"] == {"headline": "Disputes over Syria summit plan"}
    assert headline["after"] == {"headline": "Syria summit plan in doubt"}
    assert headline["reason"] == "News moved on"


def test_history_of_one_update_follows_its_life(run: Run, seeded: str) -> None:
    history = json.loads(run("history", seeded, "--update", "1", "--format", "json").stdout)
    text = run("history", seeded, "--update", "1").stdout

    assert [h["label"] for h in history] == ["Update 1 posted", "Update 1 revised"]
    assert history[1]["before"]["title"] == "David Cameron talks Syria with Russian president"
    assert "title after:" in text and "Cameron to talk Syria with Putin" in text
    missing = run("history", seeded, "--update", "9")
    assert missing.exit_code == 1 and "has no update 9" in missing.stderr


def test_the_seed_page_as_text_and_html_shows_all_the_seed_content_in_order(run: Run) -> None:
    run("--as", "x", "seed")

    text = run("page", SLUG).stdout
    html = run("page", SLUG, "--format", "html").stdout

    assert missing_or_out_of_order(text) == []
    assert missing_or_out_of_order(visible_text(html)) == []


def visible_text(html: str) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skipping = False

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.skipping = tag in ("style", "title")

        def handle_endtag(self, tag: str) -> None:
            self.skipping = False

        def handle_data(self, data: str) -> None:
            if not self.skipping:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(parser.parts)


def status_of(run: Run) -> list[dict]:
    return json.loads(run("projections", "status", "--format", "json").stdout)


def states(status: list[dict]) -> list[tuple[str, str]]:
    return [(s["name"], s["state"]) for s in status]


def test_projections_status_catch_up_and_rebuild(run: Run, seeded: str) -> None:
    before = status_of(run)
    caught_up = run("projections", "catch-up")
    after = status_of(run)
    rebuilt = run("projections", "rebuild", "history")
    again = run("projections", "catch-up")

    # Only writes so far: nothing has built the read models yet.
    assert states(before) == [("live-page", "not built"), ("history", "not built")]
    stored = before[0]["store_position"]
    assert stored > 0 and [s["lag"] for s in before] == [stored, stored]
    assert caught_up.stdout == f"caught up: {stored} notifications applied\n"
    assert states(after) == [("live-page", "up to date"), ("history", "up to date")]
    assert [(s["position"], s["lag"]) for s in after] == [(stored, 0), (stored, 0)]
    assert rebuilt.exit_code == 0 and "rebuilt history" in rebuilt.stdout
    assert again.stdout == "caught up: 0 notifications applied\n"
    assert len(json.loads(run("history", seeded, "--format", "json").stdout)) == len(events_of(run, seeded))


def test_a_write_leaves_the_read_models_to_the_next_read_which_shows_it(run: Run, seeded: str) -> None:
    run("projections", "catch-up")
    caught_up = status_of(run)
    posted = run("--as", "ann", "update", "post", seeded, "--title", "Just in", "--body", "Now.")
    behind = status_of(run)

    page = json.loads(run("page", seeded, "--format", "json").stdout)
    history = json.loads(run("history", seeded, "--format", "json").stdout)

    assert posted.exit_code == 0, posted.output
    assert [s["position"] for s in behind] == [s["position"] for s in caught_up]  # untouched
    assert states(behind) == [("live-page", "behind"), ("history", "behind")]
    assert "Just in" in [u["title"] for u in page["updates"]]
    assert history[-1]["label"] == f"Update {posted.stdout.strip()} posted"
    assert states(status_of(run)) == [("live-page", "up to date"), ("history", "up to date")]


def test_a_write_by_another_program_is_caught_up_by_the_next_read(
    run: Run, seeded: str, sqlite_url: str
) -> None:
    run("projections", "catch-up")
    newsroom = bootstrap(sqlite_url)
    last = newsroom.app.recorder.max_notification_id() or 0
    newsroom.app.post_update(seeded, "Written elsewhere", "Body.", editor="bot")
    written = (newsroom.app.recorder.max_notification_id() or 0) - last
    newsroom.close()
    behind = status_of(run)

    page = json.loads(run("page", seeded, "--format", "json").stdout)

    assert written > 0 and behind[0]["lag"] == written and behind[0]["state"] == "behind"
    assert "Written elsewhere" in [u["title"] for u in page["updates"]]


def test_a_read_only_store_with_lagging_read_models_still_reads(run: Run, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'plain.db'}"
    newsroom = bootstrap(db)
    newsroom.app.open_story("syria", "Syria talks", editor="ann")
    newsroom.app.post_update("syria", "One", "First.", editor="ann")
    newsroom.close()

    page = run("page", "syria", "--format", "json", db=f"{db}?mode=ro")
    stories = run("story", "list", "--format", "json", db=f"{db}?mode=ro")

    assert page.exit_code == 0, page.output
    assert [u["title"] for u in json.loads(page.stdout)["updates"]] == ["One"]
    assert "applied in memory" in page.stderr
    assert json.loads(stories.stdout)[0]["slug"] == "syria"


def test_a_read_only_store_whose_read_models_are_current_reads_them_without_a_warning(
    run: Run, tmp_path
) -> None:
    db = f"sqlite:///{tmp_path / 'plain.db'}"
    run("--as", "ann", "story", "open", "syria", "--headline", "Syria talks", db=db)
    run("--as", "ann", "update", "post", "syria", "--title", "One", "--body", "1.", db=db)
    assert run("projections", "catch-up", db=db).exit_code == 0  # what a follower does

    page = run("page", "syria", "--format", "json", db=f"{db}?mode=ro")

    assert page.exit_code == 0, page.output
    assert [u["title"] for u in json.loads(page.stdout)["updates"]] == ["One"]
    assert page.stderr == ""


def test_a_read_only_store_shows_a_write_its_read_models_have_not_seen_and_says_how_to_avoid_that(
    run: Run, tmp_path
) -> None:
    db = f"sqlite:///{tmp_path / 'plain.db'}"
    run("--as", "ann", "story", "open", "syria", "--headline", "Syria talks", db=db)
    run("projections", "catch-up", db=db)
    run("--as", "ann", "update", "post", "syria", "--title", "Later", "--body", "2.", db=db)

    page = run("page", "syria", "--format", "json", db=f"{db}?mode=ro")

    assert page.exit_code == 0, page.output
    assert [u["title"] for u in json.loads(page.stdout)["updates"]] == ["Later"]
    assert page.stderr.count("\n") == 1
    assert "applied in memory" in page.stderr and "projections run --follow" in page.stderr
