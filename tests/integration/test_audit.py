"""Tamper tests on real SQLite and PostgreSQL stores: each kind of rewrite is caught and located."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate

from domain.application import Newsroom
from domain.errors import StoryNotFound
from domain.markdown_body import parse_body
from domain.story import Story
from infrastructure.audit.export import read_export, write_export
from infrastructure.audit.seal import seal_store
from infrastructure.audit.verify import BreakKind, Verification, verify_chains, verify_store
from infrastructure.bootstrap import bootstrap
from tests.conftest import StepClock
from tests.integration.tampering import RawEvents

SLUG = "syria-talks"
STORY_ID = Story.id_for(SLUG)
ALTERED, MISSING, BROKEN = BreakKind.CONTENT_ALTERED, BreakKind.EVENT_MISSING, BreakKind.SEQUENCE_BROKEN
TRUNCATED, FORKED = BreakKind.TRUNCATED, BreakKind.FORKED


@pytest.fixture
def app(store_url: str, clock: StepClock) -> Iterator[Newsroom]:
    newsroom = bootstrap(store_url, clock=clock).app
    yield newsroom
    newsroom.close()


@pytest.fixture
def story(app: Newsroom) -> str:
    """A story of six events by three editors."""
    app.open_story(SLUG, "Syria talks", editor="ann")
    app.post_update(SLUG, "First", "Leaders meet in Sochi.", editor="ann")
    app.post_update(SLUG, "Second", "> We are hopeful.\n>\n> – The spokesman", editor="bob")
    app.publish_story(SLUG, editor="ann")
    app.post_update(SLUG, "Third", "Talks go on.", editor="cat")
    app.retract_update(SLUG, 1, reason="Legal advice", editor="ann")
    return SLUG


def breaks(verification: Verification) -> list[tuple[str, int, BreakKind]]:
    return [(b.slug, b.version, b.kind) for b in verification.breaks]


def heads(verification: Verification) -> list[tuple[str, int, str | None]]:
    return [(h.slug, h.version, h.head_hash) for h in verification.stories]


def test_an_untouched_record_verifies_and_names_each_story_head(app: Newsroom, story: str) -> None:
    app.open_story("other", "Another story", editor="dan")

    verification = verify_store(app)

    assert verification.intact
    assert verification.events == 7
    assert heads(verification) == [
        (SLUG, 6, app.get_story(SLUG).head_hash),
        ("other", 1, app.get_story("other").head_hash),
    ]


def test_one_altered_byte_is_reported_as_content_altered_at_its_version(
    app: Newsroom, story: str, raw: RawEvents
) -> None:
    raw.replace_in_state(STORY_ID, 3, b'"key_event":false', b'"key_event":true')

    verification = verify_store(app)

    assert breaks(verification) == [(SLUG, 3, ALTERED)]
    assert "no longer matches its hash" in verification.breaks[0].detail


def test_bytes_that_no_longer_decode_are_reported_as_content_altered(
    app: Newsroom, story: str, raw: RawEvents
) -> None:
    state = raw.state(STORY_ID, 2)
    raw.set_state(STORY_ID, 2, b"\xff" + state[1:])

    verification = verify_store(app)

    # Version 3 cannot be linked to an event that cannot be read, so it is not blamed for it.
    assert breaks(verification) == [(SLUG, 2, ALTERED)]
    assert "cannot be decoded" in verification.breaks[0].detail


def test_a_deleted_middle_event_is_reported_missing(app: Newsroom, story: str, raw: RawEvents) -> None:
    raw.delete(STORY_ID, 3)

    verification = verify_store(app)

    assert breaks(verification) == [(SLUG, 3, MISSING)]
    assert "from version 2 to 4" in verification.breaks[0].detail


def test_a_deleted_last_event_is_caught_only_with_a_seal(app: Newsroom, story: str, raw: RawEvents) -> None:
    seal = seal_store(app)
    raw.delete(STORY_ID, 6)

    assert verify_store(app).intact
    assert breaks(verify_store(app, seal=seal)) == [(SLUG, 6, TRUNCATED)]


def test_two_swapped_events_are_reported_where_their_content_and_links_no_longer_fit(
    app: Newsroom, story: str, raw: RawEvents
) -> None:
    second, third = raw.state(STORY_ID, 2), raw.state(STORY_ID, 3)
    raw.set_state(STORY_ID, 2, third)
    raw.set_state(STORY_ID, 3, second)

    assert breaks(verify_store(app)) == [
        (SLUG, 2, ALTERED),
        (SLUG, 2, BROKEN),
        (SLUG, 3, ALTERED),
        (SLUG, 3, BROKEN),
        (SLUG, 4, BROKEN),
    ]


def test_a_forged_event_with_a_recomputed_hash_but_a_wrong_predecessor_breaks_the_sequence(
    app: Newsroom, story: str, raw: RawEvents, clock: StepClock
) -> None:
    forger = app.get_story(SLUG)
    forger.head_hash = app.get_events(SLUG)[4].hash  # chained onto version 5 instead of 6
    forger.post_update("Forged", parse_body("Never said."), editor="mallory", at=clock())
    [forged] = forger.collect_events()
    stored = app.mapper.to_stored_event(forged)
    raw.insert(STORY_ID, 7, stored.topic, stored.state)

    verification = verify_store(app)

    assert breaks(verification) == [(SLUG, 7, BROKEN)]
    assert "not the hash of version 6" in verification.breaks[0].detail


def test_a_rollback_that_rewrites_the_sealed_head_is_reported_as_a_fork(
    app: Newsroom, story: str, raw: RawEvents
) -> None:
    seal = seal_store(app)
    raw.delete(STORY_ID, 6)
    app.post_update(SLUG, "Rewritten", "Something else.", editor="mallory")

    assert verify_store(app).intact
    assert breaks(verify_store(app, seal=seal)) == [(SLUG, 6, FORKED)]


def test_a_sealed_story_deleted_entirely_is_reported_truncated(
    app: Newsroom, story: str, raw: RawEvents
) -> None:
    app.open_story("other", "Another story", editor="dan")
    seal = seal_store(app)
    raw.delete(Story.id_for("other"), 1)

    assert breaks(verify_store(app, seal=seal)) == [("other", 1, TRUNCATED)]


def test_a_story_whose_opened_event_was_altered_is_named_by_its_id_or_by_the_seal(
    app: Newsroom, story: str, raw: RawEvents
) -> None:
    seal = seal_store(app)
    raw.replace_in_state(STORY_ID, 1, b"syria-talks", b"syria-tanks")

    assert breaks(verify_store(app)) == [(str(STORY_ID), 1, ALTERED)]
    assert breaks(verify_store(app, seal=seal)) == [(SLUG, 1, ALTERED)]


def test_events_of_other_aggregates_are_not_chained_and_are_ignored(app: Newsroom, story: str) -> None:
    app.save(Aggregate())

    verification = verify_store(app)

    assert verification.intact
    assert [h.slug for h in verification.stories] == [SLUG]


def test_verifying_one_story_checks_only_that_story(app: Newsroom, story: str, raw: RawEvents) -> None:
    app.open_story("other", "Another story", editor="dan")
    raw.replace_in_state(Story.id_for("other"), 1, b"Another", b"Amother")

    assert heads(verify_store(app, SLUG)) == [(SLUG, 6, app.get_story(SLUG).head_hash)]
    assert breaks(verify_store(app, "other")) == [("other", 1, ALTERED)]


def test_verifying_an_unknown_story_is_refused(app: Newsroom, story: str) -> None:
    with pytest.raises(StoryNotFound):
        verify_store(app, "no-such-story")


def export_to(app: Newsroom, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        write_export(app, out)
    return path


def test_an_export_verifies_offline_with_the_heads_of_the_store(
    app: Newsroom, story: str, tmp_path: Path
) -> None:
    app.open_story("other", "Another story", editor="dan")
    export = export_to(app, tmp_path / "record.jsonl")

    offline = verify_chains(read_export(export))

    assert offline.intact
    assert heads(offline) == heads(verify_store(app))


def test_every_exported_hash_is_recomputable_with_nothing_but_json_and_sha256(
    app: Newsroom, story: str, tmp_path: Path
) -> None:
    lines = [json.loads(line) for line in export_to(app, tmp_path / "record.jsonl").read_text().splitlines()]

    previous = "0" * 64
    for line in lines:
        content = {k: line[k] for k in ("topic", "story_id", "version", "state")}
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == line["hash"]
        assert line["state"]["previous_hash"] == previous
        previous = line["hash"]
    assert [line["version"] for line in lines] == [1, 2, 3, 4, 5, 6]


def test_a_tampered_export_line_is_caught(app: Newsroom, story: str, tmp_path: Path) -> None:
    export = export_to(app, tmp_path / "record.jsonl")
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace('"commitment":"', '"commitment":"0', 1)  # its editor's
    export.write_text("".join(lines), encoding="utf-8")

    assert breaks(verify_chains(read_export(export))) == [(SLUG, 3, ALTERED)]


def test_an_export_of_a_damaged_store_carries_the_same_breaks(
    app: Newsroom, story: str, raw: RawEvents, tmp_path: Path
) -> None:
    raw.replace_in_state(STORY_ID, 3, b'"key_event":false', b'"key_event":true')
    state = raw.state(STORY_ID, 5)
    raw.set_state(STORY_ID, 5, state[:-1])
    export = export_to(app, tmp_path / "record.jsonl")

    assert breaks(verify_chains(read_export(export))) == breaks(verify_store(app))
    assert breaks(verify_store(app)) == [(SLUG, 3, ALTERED), (SLUG, 5, ALTERED)]


def test_an_export_held_to_a_seal_catches_its_cut_off_tail(app: Newsroom, story: str, tmp_path: Path) -> None:
    seal = seal_store(app)
    export = export_to(app, tmp_path / "record.jsonl")
    export.write_text("".join(export.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]))

    assert verify_chains(read_export(export)).intact
    assert breaks(verify_chains(read_export(export), seal=seal)) == [(SLUG, 6, TRUNCATED)]
