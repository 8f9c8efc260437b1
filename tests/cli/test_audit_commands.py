"""The audit, log and editors commands through the real CLI: exit codes, output, files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.story import Story
from tests.cli.conftest import Run, events_of
from tests.integration.tampering import RawEvents

SLUG = "syria-talks"


@pytest.fixture
def story(run: Run) -> str:
    run("--as", "ann", "story", "open", SLUG, "--headline", "Syria talks")
    run("--as", "ann", "update", "post", SLUG, "--title", "One", "--body", "First.")
    run("--as", "bob", "update", "post", SLUG, "--title", "Two", "--body", "Second.")
    run("--as", "ann", "story", "publish", SLUG)
    run("--as", "bob", "update", "retract", SLUG, "1", "--reason", "Legal advice")
    return SLUG


@pytest.fixture
def raw(sqlite_url: str) -> Iterator[RawEvents]:
    events = RawEvents(sqlite_url)
    yield events
    events.close()


def assert_refused(result, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_verify_prints_each_story_head_and_exits_0(run: Run, story: str) -> None:
    result = run("audit", "verify")

    assert result.exit_code == 0, result.output
    head = events_of(run, story)[-1]["hash"]
    assert result.stdout.splitlines() == [
        "intact: 1 story, 5 events; every chain verifies",
        f"{SLUG}  v5  {head}",
    ]


def test_verify_locates_an_altered_event_and_exits_1(run: Run, story: str, raw: RawEvents) -> None:
    raw.replace_in_state(Story.id_for(SLUG), 3, b'"key_event":false', b'"key_event":true')

    result = run("audit", "verify")

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("BROKEN: 1 break(s) in 1 of 1 story, 5 events")
    assert lines[1].startswith(f"{SLUG}  v3  content altered: ")


def test_verify_json_lists_heads_and_breaks(run: Run, story: str, raw: RawEvents) -> None:
    raw.delete(Story.id_for(SLUG), 2)

    result = run("audit", "verify", SLUG, "--format", "json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["intact"] is False
    assert [(b["slug"], b["version"], b["kind"]) for b in report["breaks"]] == [(SLUG, 2, "event missing")]
    assert [(s["slug"], s["version"]) for s in report["stories"]] == [(SLUG, 5)]


def test_a_seal_catches_a_deleted_last_event(run: Run, story: str, raw: RawEvents, tmp_path: Path) -> None:
    seal_file = tmp_path / "seal.json"
    sealed = run("audit", "seal", "--out", str(seal_file))
    raw.delete(Story.id_for(SLUG), 5)

    without_seal = run("audit", "verify")
    with_seal = run("audit", "verify", "--seal", str(seal_file))

    assert sealed.exit_code == 0 and str(seal_file) in sealed.stdout
    assert without_seal.exit_code == 0
    assert with_seal.exit_code == 1
    assert f"{SLUG}  v5  truncated: " in with_seal.stdout


def test_a_seal_names_every_head_with_a_time_and_one_digest(run: Run, story: str) -> None:
    result = run("audit", "seal")

    seal = json.loads(result.stdout)
    assert set(seal) == {"format", "sealed_at", "stories", "digest"}
    assert seal["stories"] == [
        {
            "slug": SLUG,
            "story_id": str(Story.id_for(SLUG)),
            "version": 5,
            "head_hash": events_of(run, story)[-1]["hash"],
        }
    ]
    assert seal["sealed_at"].endswith("Z") and len(seal["digest"]) == 64


def test_a_seal_is_never_written_over_an_existing_file(run: Run, story: str, tmp_path: Path) -> None:
    seal_file = tmp_path / "seal.json"
    seal_file.write_text("an earlier seal", encoding="utf-8")

    assert_refused(run("audit", "seal", "--out", str(seal_file)), "already exists")
    assert seal_file.read_text(encoding="utf-8") == "an earlier seal"


def test_a_broken_store_is_not_sealed(run: Run, story: str, raw: RawEvents) -> None:
    raw.delete(Story.id_for(SLUG), 2)

    assert_refused(run("audit", "seal"), "not sealed")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("not json", "is not JSON"),
        ('{"format": "something else"}', "is not a newsroom seal"),
    ],
)
def test_a_malformed_seal_is_refused_on_one_line(
    run: Run, story: str, tmp_path: Path, content: str, fragment: str
) -> None:
    seal_file = tmp_path / "seal.json"
    seal_file.write_text(content, encoding="utf-8")

    assert_refused(run("audit", "verify", "--seal", str(seal_file)), fragment)


def test_an_altered_seal_is_refused(run: Run, story: str, tmp_path: Path) -> None:
    seal = json.loads(run("audit", "seal").stdout)
    seal["stories"][0]["version"] = 4
    seal_file = tmp_path / "seal.json"
    seal_file.write_text(json.dumps(seal), encoding="utf-8")

    assert_refused(run("audit", "verify", "--seal", str(seal_file)), "digest does not match")


def test_a_missing_seal_file_is_refused(run: Run, story: str, tmp_path: Path) -> None:
    assert_refused(run("audit", "verify", "--seal", str(tmp_path / "nowhere.json")), "cannot be used")


def test_an_export_is_verified_with_no_database_at_all(run: Run, story: str, tmp_path: Path) -> None:
    export_file = tmp_path / "record.jsonl"
    exported = run("audit", "export", "--out", str(export_file))

    offline = run(
        "--db", "sqlite:////no/such/folder/newsroom.app.db", "audit", "verify", "--export", str(export_file)
    )

    assert exported.stdout == f"exported 5 events of 1 story to {export_file}\n"
    assert offline.exit_code == 0, offline.output
    assert offline.stdout == run("audit", "verify").stdout


def test_an_export_to_stdout_is_one_json_line_per_event_with_its_hash(run: Run, story: str) -> None:
    lines = [json.loads(line) for line in run("audit", "export").stdout.splitlines()]

    assert [(line["version"], line["hash"]) for line in lines] == [
        (e["version"], e["hash"]) for e in events_of(run, story)
    ]
    assert set(lines[0]) == {"position", "topic", "story_id", "version", "hash", "state"}


def test_a_tampered_export_fails_verification(run: Run, story: str, tmp_path: Path) -> None:
    export_file = tmp_path / "record.jsonl"
    run("audit", "export", "--out", str(export_file))
    text = export_file.read_text(encoding="utf-8")
    export_file.write_text(text.replace('"key_event":false', '"key_event":true', 1), encoding="utf-8")

    result = run("audit", "verify", "--export", str(export_file))

    assert result.exit_code == 1
    assert f"{SLUG}  v2  content altered" in result.stdout


def test_an_export_line_that_is_not_an_event_is_refused(run: Run, story: str, tmp_path: Path) -> None:
    export_file = tmp_path / "record.jsonl"
    export_file.write_text('{"position": 1}\n', encoding="utf-8")

    assert_refused(run("audit", "verify", "--export", str(export_file)), "line 1 is not an exported event")


def test_log_lists_every_event_in_store_order_with_editor_and_reason(run: Run, story: str) -> None:
    lines = run("log").stdout.splitlines()

    assert len(lines) == 5
    assert lines[0].split()[0] == "1" and f"{SLUG} v1  ann: Story opened as a draft" in lines[0]
    assert lines[4].endswith("bob: Update 1 retracted (reason: Legal advice)")


def test_log_json_entries_have_the_documented_fields(run: Run, story: str) -> None:
    entries = json.loads(run("log", "--format", "json").stdout)

    assert entries[-1] == {
        "position": 7,  # in the store: each of the two posts saved its update's digests too
        "at": entries[-1]["at"],
        "story": SLUG,
        "version": 5,
        "editor": "bob",
        "type": "UpdateRetracted",
        "what": "Update 1 retracted",
        "reason": "Legal advice",
    }
    assert entries[-1]["at"].endswith("Z")


@pytest.mark.parametrize(
    ("options", "versions"),
    [
        (("--editor", "bob"), [3, 5]),
        (("--type", "UpdatePosted"), [2, 3]),
        (("--story", SLUG, "--type", "Opened"), [1]),
    ],
)
def test_log_filters_events(run: Run, story: str, options: tuple[str, ...], versions: list[int]) -> None:
    lines = run("log", *options, "--format", "jsonl").stdout.splitlines()

    assert [json.loads(line)["version"] for line in lines] == versions


def test_log_filters_by_time_inclusively(run: Run, story: str) -> None:
    times = [e["at"] for e in events_of(run, story)]

    result = run("log", "--since", times[1], "--until", times[3], "--format", "json")

    assert [e["version"] for e in json.loads(result.stdout)] == [2, 3, 4]


def test_log_of_another_story_leaves_this_one_out(run: Run, story: str) -> None:
    run("--as", "cat", "story", "open", "other", "--headline", "Other")

    entries = json.loads(run("log", "--story", "other", "--format", "json").stdout)

    assert [(e["story"], e["editor"]) for e in entries] == [("other", "cat")]


def test_log_of_an_unknown_story_is_refused(run: Run, story: str) -> None:
    assert_refused(run("log", "--story", "no-such-story"), "no story with slug 'no-such-story'")


def test_log_with_a_time_that_is_not_iso_is_bad_usage(run: Run, story: str) -> None:
    result = run("log", "--since", "yesterday")

    assert result.exit_code == 2
    assert "is not an ISO 8601 time" in result.stderr


def test_log_of_an_unknown_event_type_is_bad_usage_naming_the_types(run: Run, story: str) -> None:
    result = run("log", "--type", "UpdateDeleted")

    assert result.exit_code == 2
    assert "unknown event type 'UpdateDeleted'" in result.stderr and "UpdateRetracted" in result.stderr


def test_editors_counts_each_editors_events_by_type(run: Run, story: str) -> None:
    editors = json.loads(run("editors", "--format", "json").stdout)

    assert [(e["editor"], e["events"], e["stories"], e["by_type"]) for e in editors] == [
        ("ann", 3, 1, {"Opened": 1, "Published": 1, "UpdatePosted": 1}),
        ("bob", 2, 1, {"UpdatePosted": 1, "UpdateRetracted": 1}),
    ]


def test_editors_text_names_each_editor_with_counts(run: Run, story: str) -> None:
    lines = run("editors").stdout.splitlines()

    assert lines[0].startswith("ann: 3 events in 1 story, ")
    assert lines[1].strip() == "Opened 1, Published 1, UpdatePosted 1"
    assert lines[2].startswith("bob: 2 events in 1 story, ")


def test_replay_matches_the_read_models_and_exits_0(run: Run, story: str) -> None:
    result = run("audit", "replay")

    assert (result.exit_code, result.stdout) == (0, "replayed 1 story, 5 events: the read models match\n")


def test_replay_reports_a_changed_read_model_and_exits_1(run: Run, story: str, raw: RawEvents) -> None:
    run("projections", "catch-up")  # writes leave the read models to readers: build them first
    raw.run("UPDATE page_stories SET header = REPLACE(header, ?, ?)", '"Syria talks"', '"Rewritten"')

    result = run("audit", "replay", SLUG, "--format", "json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["differences"][0] == {
        "slug": SLUG,
        "read_model": "live page",
        "where": "headline",
        "replayed": "Syria talks",
        "found": "Rewritten",
    }
