"""A legal takedown on real stores: the words are gone from every reading and from the store's
bytes, the record of the takedown stays, and the audit still passes."""

from __future__ import annotations

import json

import pytest

from domain.page import REMOVED_TITLE
from domain.story import Story
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.keys import update_key_id
from infrastructure.store import parse_url
from infrastructure.takedown import take_down_update
from tests.integration.conftest import Run
from tests.integration.takedown_stories import (
    NAME,
    NOTE,
    PHRASE,
    SLUG,
    read_ok,
    story_with_update_3,
    take_down_everything,
    take_down_update_3,
    updates_4_and_5_from_a_submission_and_a_schedule,
)
from tests.support.store_bytes import encodings, read_model_tables, store_files


@pytest.fixture
def taken_down(newsroom: Services, run: Run) -> Services:
    return take_down_update_3(newsroom, run)


@pytest.fixture
def all_taken_down(newsroom: Services, run: Run) -> Services:
    return take_down_everything(newsroom, run)


def test_the_page_shows_the_note_in_place_of_the_update(taken_down: Services, run: Run) -> None:
    page = read_ok(run, "page", SLUG)

    assert PHRASE not in page and NAME not in page
    assert f"{REMOVED_TITLE}\n\n{NOTE}" in page
    update_3 = next(
        u for u in json.loads(read_ok(run, "page", SLUG, "--format", "json"))["updates"] if u["number"] == 3
    )
    assert (update_3["title"], update_3["byline"]) == (REMOVED_TITLE, None)
    assert update_3["blocks"] == [{"kind": "paragraph", "text": NOTE}]


def test_every_past_version_shows_the_update_removed(taken_down: Services, run: Run) -> None:
    last = taken_down.app.get_story(SLUG).version

    for version in range(1, last + 1):
        page = read_ok(run, "page", SLUG, "--version", str(version))
        assert PHRASE not in page and NAME not in page, f"version {version}"
        if version >= 5:  # update 3 was posted at version 5
            assert REMOVED_TITLE in page, f"version {version}"


def test_history_diff_log_events_and_export_hold_no_words(taken_down: Services, run: Run) -> None:
    last = str(taken_down.app.get_story(SLUG).version)
    outputs = [
        read_ok(run, "history", SLUG),
        read_ok(run, "history", SLUG, "--format", "json"),
        read_ok(run, "history", SLUG, "--update", "3"),
        read_ok(run, "diff", SLUG, "4", last),
        read_ok(run, "log"),
        read_ok(run, "log", "--format", "json"),
        read_ok(run, "events", SLUG),
        read_ok(run, "events", SLUG, "--format", "json"),
        read_ok(run, "audit", "export"),
    ]

    for output in outputs:
        assert PHRASE not in output and "Zebra" not in output
    assert "Update 3 taken down under order 'HC-2013-118'" in outputs[4]


def test_the_record_still_shows_what_was_taken_down_by_whom_and_when(taken_down: Services, run: Run) -> None:
    events = json.loads(read_ok(run, "events", SLUG, "--format", "json"))

    posted = next(e for e in events if e["type"] == "UpdatePosted" and e["data"]["number"] == 3)
    removal = events[-1]
    assert posted["data"]["erased"] == ["title", "byline", "body"]
    assert (removal["type"], removal["editor"]) == ("UpdateTakenDown", "ann")
    assert removal["data"] == {"number": 3, "order": "HC-2013-118", "note": NOTE}


def test_the_history_says_under_which_order_and_by_whom_an_update_was_taken_down(
    taken_down: Services, run: Run
) -> None:
    whole = json.loads(read_ok(run, "history", SLUG, "--format", "json"))
    of_update = json.loads(read_ok(run, "history", SLUG, "--update", "3", "--format", "json"))
    text = read_ok(run, "history", SLUG, "--update", "3").splitlines()

    for entries in (whole, of_update):
        removal = entries[-1]
        assert (removal["type"], removal["editor"], removal["label"]) == (
            "UpdateTakenDown",
            "ann",
            "Update 3 taken down",
        )
        assert (removal["reason"], removal["before"], removal["after"]) == (
            NOTE,
            None,
            {"order": "HC-2013-118"},
        )
    assert text[-2].endswith(f"ann              Update 3 taken down \u2014 {NOTE}")
    assert text[-1] == "        under order HC-2013-118"


def test_the_history_says_under_which_order_earlier_words_were_taken_down(
    all_taken_down: Services, run: Run
) -> None:
    history = json.loads(read_ok(run, "history", SLUG, "--format", "json"))
    text = read_ok(run, "history", SLUG)

    removals = [e for e in history if e["type"] in ("SubmissionTakenDown", "ScheduledPostTakenDown")]
    assert [(e["label"], e["editor"], e["reason"], e["after"]) for e in removals] == [
        (label, "ann", NOTE, {"order": "HC-2013-118"})
        for label in ("Submission 2 taken down", "Submission 3 taken down", "Scheduled post 2 taken down")
    ]
    assert text.count("        under order HC-2013-118\n") == 6  # three updates, three earlier words


def test_audit_verify_and_replay_pass_after_a_takedown(taken_down: Services, run: Run) -> None:
    assert "every chain verifies" in read_ok(run, "audit", "verify")
    assert "the read models match" in read_ok(run, "audit", "replay")


def test_a_rebuild_gives_the_same_tables(taken_down: Services, run: Run) -> None:
    before = read_model_tables(taken_down)

    read_ok(run, "projections", "rebuild")

    assert read_model_tables(taken_down) == before


def test_the_words_are_nowhere_in_the_store_bytes(all_taken_down: Services, store_url: str) -> None:
    files = store_files(store_url)  # while the store is still open
    if parse_url(store_url).backend == "sqlite":
        assert any(f.name.endswith(".keys") for f in files)
    assert files
    for file in files:
        data = file.read_bytes()
        for form in encodings(PHRASE):
            assert form not in data, f"{file.name} holds the phrase as {form!r}"


def test_a_missing_key_reads_as_erased_never_as_an_error(newsroom: Services, run: Run) -> None:
    story_with_update_3(newsroom)
    newsroom.keys.store.destroy(update_key_id(Story.id_for(SLUG), 3), reference="lost", at=newsroom.clock())

    fresh = bootstrap(newsroom.url)
    try:
        events = fresh.app.get_events(SLUG)
        page = fresh.app.get_page(SLUG)
    finally:
        fresh.close()

    assert all(PHRASE not in str(vars(e)) for e in events)
    assert next(u for u in page.updates if u.number == 3).title == REMOVED_TITLE
    verified = run("audit", "verify")
    assert "every chain verifies" in verified.stdout
    # No takedown was made under "lost": the chains hold, but the audit reports the key.
    assert verified.exit_code == 1 and "which no takedown of its update was made under" in verified.stdout


def test_taking_down_again_finishes_the_job_and_records_nothing(taken_down: Services, run: Run) -> None:
    version = taken_down.app.get_story(SLUG).version

    result = run("update", "takedown", SLUG, "3", "--order", "HC-2013-118", "--note", NOTE)

    assert result.exit_code == 0, result.output
    assert "already taken down" in result.stdout
    assert taken_down.app.get_story(SLUG).version == version


def test_an_update_stored_before_sealing_is_refused_in_one_line(store_url: str, run: Run) -> None:
    plain = bootstrap(store_url, sealing=False)
    try:
        plain.app.open_story(SLUG, "A court case", None, editor="ann")
        plain.app.post_update(SLUG, "Old", f"Old words {PHRASE}", editor="ann")
    finally:
        plain.close()

    result = run("update", "takedown", SLUG, "1", "--order", "HC-1", "--note", NOTE)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: update 1 of '{SLUG}' was stored before updates were encrypted, so its words cannot be "
        "shredded; `newsroom update retract` hides it from readers, but the record keeps its words\n"
    )


def test_a_taken_down_update_is_seen_by_a_direct_call_too(newsroom: Services) -> None:
    story_with_update_3(newsroom)

    done = take_down_update(newsroom, SLUG, 3, order="HC-9", note=NOTE, editor="ann")

    assert done.key_destroyed and done.version == newsroom.app.get_story(SLUG).version
    assert newsroom.keys.key(update_key_id(Story.id_for(SLUG), 3)) is None


def test_a_process_that_reads_a_takedown_back_forgets_the_key_of_the_submission_it_came_from(
    newsroom: Services, run: Run
) -> None:
    story_with_update_3(newsroom)
    updates_4_and_5_from_a_submission_and_a_schedule(newsroom)
    story_id = Story.id_for(SLUG)
    app = newsroom.app

    def submitted() -> dict[str, object]:
        events = [app.mapper.to_domain_event(e) for e in app.recorder.select_events(story_id)]
        return vars(next(e for e in events if isinstance(e, Story.UpdateSubmitted)))

    assert PHRASE in str(submitted()["title"])  # this process now keeps the submission's key
    result = run("update", "takedown", SLUG, "4", "--order", "HC-2013-118", "--note", NOTE)
    assert result.exit_code == 0, result.output

    (last,) = app.recorder.select_events(story_id, desc=True, limit=1)
    assert isinstance(app.mapper.to_domain_event(last), Story.UpdateTakenDown)  # read back here
    assert submitted()["erased"] == ["title", "byline", "body"]
