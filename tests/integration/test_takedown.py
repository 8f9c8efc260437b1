"""A legal takedown on real stores: the words are gone from every reading and from the store's
bytes, the record of the takedown stays, and the audit still passes."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result

from domain.page import REMOVED_TITLE
from domain.story import Story
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.keys import update_key_id, words_key_id
from infrastructure.store import parse_url
from infrastructure.takedown import take_down_update
from tests.integration.conftest import Run
from tests.support.store_bytes import encodings, read_model_tables, store_files

SLUG = "court-case"
PHRASE = "Zebra-Überfall 7731 »verleumdet«"
"""The distinctive words taken down: non-ASCII, so that escaped encodings differ from UTF-8."""
NAME = "Quentin Zebrowski"
NOTE = "This update was removed by order of the High Court."


def _story_with_update_3(services: Services) -> None:
    app = services.app
    app.open_story(SLUG, "A court case", None, editor="ann")
    app.publish_story(SLUG, editor="ann")
    app.post_update(SLUG, "Opening", "The case opens.", editor="ann")
    app.post_update(SLUG, "Second", "Nothing to see.", editor="bob")
    body = (
        f"He said {PHRASE}.\n\n> {PHRASE} again\n>\n> – {NAME}\n\n"
        f"![{PHRASE}](https://x.org/a.jpg)\nCredit: {NAME}"
    )
    app.post_update(SLUG, f"Title {PHRASE}", body, byline=NAME, key_event=True, editor="ann")
    app.correct_quote(SLUG, 3, 1, text=f"{PHRASE} corrected", note="Misquote", editor="bob")
    app.revise_update(SLUG, 3, title=f"Revised {PHRASE}", reason="Sharper", editor="bob")
    services.caught_up()  # the read models hold the words before the takedown


def _updates_4_and_5_from_a_submission_and_a_schedule(services: Services) -> None:
    """Update 4 approved from a submission (submitted, then revised), update 5 published from a
    scheduled post (scheduled, then moved): each with the phrase in every word it ever had."""
    app = services.app
    app.submit_update(SLUG, f"Offered {PHRASE}", f"Field notes {PHRASE}.", byline=NAME, editor="bob")
    app.revise_submission(SLUG, 1, body=f"Field notes {PHRASE}, revised.", editor="bob")
    app.approve_submission(SLUG, 1, editor="ann")
    publish_at = app.clock() + timedelta(minutes=5)
    app.schedule_update(
        SLUG, f"Later {PHRASE}", f"At ten {PHRASE}.", byline=NAME, publish_at=publish_at, editor="ann"
    )
    app.reschedule_update(SLUG, 1, publish_at=publish_at + timedelta(seconds=1), editor="ann")
    assert len(app.publish_due(SLUG, now=publish_at + timedelta(seconds=1))) == 1
    assert app.get_story(SLUG).update_count == 5
    services.caught_up()


def _words_that_never_became_updates(services: Services) -> None:
    """Submission 2 withdrawn, submission 3 rejected, scheduled post 2 unscheduled: each with the
    phrase in its words, none of them ever an update."""
    app = services.app
    app.submit_update(SLUG, f"Withdrawn {PHRASE}", f"Second thoughts {PHRASE}.", byline=NAME, editor="bob")
    app.revise_submission(SLUG, 2, body=f"Second thoughts {PHRASE}, revised.", editor="bob")
    app.withdraw_submission(SLUG, 2, editor="bob")
    app.submit_update(SLUG, f"Rejected {PHRASE}", f"Unsourced {PHRASE}.", editor="bob")
    app.reject_submission(SLUG, 3, reason="Unsourced", editor="ann")
    publish_at = app.clock() + timedelta(days=1)
    app.schedule_update(
        SLUG, f"Cancelled {PHRASE}", f"Never {PHRASE}.", byline=NAME, publish_at=publish_at, editor="ann"
    )
    app.unschedule_update(SLUG, 2, editor="ann")
    services.caught_up()


def _take_down_earlier(run: Run, command: str, number: str) -> Result:
    return run("update", command, SLUG, number, "--order", "HC-2013-118", "--note", NOTE)


@pytest.fixture
def all_taken_down(newsroom: Services, run: Run) -> Services:
    """Updates 3 (posted), 4 (an approved submission) and 5 (a scheduled post) taken down, and
    the words of submissions 2 (withdrawn) and 3 (rejected) and scheduled post 2 (unscheduled)."""
    _story_with_update_3(newsroom)
    _updates_4_and_5_from_a_submission_and_a_schedule(newsroom)
    _words_that_never_became_updates(newsroom)
    for number in ("3", "4", "5"):
        result = run("update", "takedown", SLUG, number, "--order", "HC-2013-118", "--note", NOTE)
        assert result.exit_code == 0, result.output
        assert f"update {number} taken down" in result.stdout
    for command, number, what in (
        ("takedown-submission", "2", "submission 2"),
        ("takedown-submission", "3", "submission 3"),
        ("takedown-scheduled", "2", "scheduled post 2"),
    ):
        result = _take_down_earlier(run, command, number)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"{SLUG}: {what} taken down (version ")
    return newsroom


@pytest.fixture
def taken_down(newsroom: Services, run: Run) -> Services:
    _story_with_update_3(newsroom)
    result = run("update", "takedown", SLUG, "3", "--order", "HC-2013-118", "--note", NOTE)
    assert result.exit_code == 0, result.output
    assert "update 3 taken down" in result.stdout
    return newsroom


def _read(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_page_shows_the_note_in_place_of_the_update(taken_down: Services, run: Run) -> None:
    page = _read(run, "page", SLUG)

    assert PHRASE not in page and NAME not in page
    assert f"{REMOVED_TITLE}\n\n{NOTE}" in page
    update_3 = next(
        u for u in json.loads(_read(run, "page", SLUG, "--format", "json"))["updates"] if u["number"] == 3
    )
    assert (update_3["title"], update_3["byline"]) == (REMOVED_TITLE, None)
    assert update_3["blocks"] == [{"kind": "paragraph", "text": NOTE}]


def test_every_past_version_shows_the_update_removed(taken_down: Services, run: Run) -> None:
    last = taken_down.app.get_story(SLUG).version

    for version in range(1, last + 1):
        page = _read(run, "page", SLUG, "--version", str(version))
        assert PHRASE not in page and NAME not in page, f"version {version}"
        if version >= 5:  # update 3 was posted at version 5
            assert REMOVED_TITLE in page, f"version {version}"


def test_history_diff_log_events_and_export_hold_no_words(taken_down: Services, run: Run) -> None:
    last = str(taken_down.app.get_story(SLUG).version)
    outputs = [
        _read(run, "history", SLUG),
        _read(run, "history", SLUG, "--format", "json"),
        _read(run, "history", SLUG, "--update", "3"),
        _read(run, "diff", SLUG, "4", last),
        _read(run, "log"),
        _read(run, "log", "--format", "json"),
        _read(run, "events", SLUG),
        _read(run, "events", SLUG, "--format", "json"),
        _read(run, "audit", "export"),
    ]

    for output in outputs:
        assert PHRASE not in output and "Zebra" not in output
    assert "Update 3 taken down under order 'HC-2013-118'" in outputs[4]


def test_the_record_still_shows_what_was_taken_down_by_whom_and_when(taken_down: Services, run: Run) -> None:
    events = json.loads(_read(run, "events", SLUG, "--format", "json"))

    posted = next(e for e in events if e["type"] == "UpdatePosted" and e["data"]["number"] == 3)
    removal = events[-1]
    assert posted["data"]["erased"] == ["title", "byline", "body"]
    assert (removal["type"], removal["editor"]) == ("UpdateTakenDown", "ann")
    assert removal["data"] == {"number": 3, "order": "HC-2013-118", "note": NOTE}


def test_the_history_says_under_which_order_and_by_whom_an_update_was_taken_down(
    taken_down: Services, run: Run
) -> None:
    whole = json.loads(_read(run, "history", SLUG, "--format", "json"))
    of_update = json.loads(_read(run, "history", SLUG, "--update", "3", "--format", "json"))
    text = _read(run, "history", SLUG, "--update", "3").splitlines()

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
    history = json.loads(_read(run, "history", SLUG, "--format", "json"))
    text = _read(run, "history", SLUG)

    removals = [e for e in history if e["type"] in ("SubmissionTakenDown", "ScheduledPostTakenDown")]
    assert [(e["label"], e["editor"], e["reason"], e["after"]) for e in removals] == [
        (label, "ann", NOTE, {"order": "HC-2013-118"})
        for label in ("Submission 2 taken down", "Submission 3 taken down", "Scheduled post 2 taken down")
    ]
    assert text.count("        under order HC-2013-118\n") == 6  # three updates, three earlier words


def test_audit_verify_and_replay_pass_after_a_takedown(taken_down: Services, run: Run) -> None:
    assert "every chain verifies" in _read(run, "audit", "verify")
    assert "the read models match" in _read(run, "audit", "replay")


def test_a_rebuild_gives_the_same_tables(taken_down: Services, run: Run) -> None:
    before = read_model_tables(taken_down)

    _read(run, "projections", "rebuild")

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


def test_updates_from_a_submission_and_a_schedule_are_taken_down_with_their_earlier_words(
    all_taken_down: Services, run: Run
) -> None:
    story_id = Story.id_for(SLUG)
    keys = all_taken_down.keys.store  # the CLI destroyed them: this process may keep a copy
    outputs = [
        _read(run, "page", SLUG),
        _read(run, "history", SLUG, "--format", "json"),
        _read(run, "log"),
        _read(run, "events", SLUG, "--format", "json"),
        _read(run, "audit", "export"),
    ]

    for output in outputs:
        assert PHRASE not in output and "Zebra" not in output
    for key_id in (
        update_key_id(story_id, 4),
        update_key_id(story_id, 5),
        words_key_id(story_id, "submission", 1),
        words_key_id(story_id, "scheduled", 1),
    ):
        assert keys.key(key_id) is None and keys.is_destroyed(key_id), key_id
    events = json.loads(outputs[3])
    for kind in ("UpdateSubmitted", "SubmissionRevised", "SubmissionApproved", "UpdateScheduled"):
        event = next(e for e in events if e["type"] == kind)  # the first: update 4's or 5's
        assert event["data"]["erased"] == ["title", "byline", "body"], kind
    assert "every chain verifies" in _read(run, "audit", "verify")
    assert "the read models match" in _read(run, "audit", "replay")
    assert json.loads(_read(run, "keys", "status", "--format", "json"))["matches"]


def test_words_that_never_became_updates_are_shredded_and_the_record_says_so(
    all_taken_down: Services, run: Run
) -> None:
    story_id = Story.id_for(SLUG)
    keys = all_taken_down.keys.store
    events = json.loads(_read(run, "events", SLUG, "--format", "json"))
    history = json.loads(_read(run, "history", SLUG, "--format", "json"))

    for key_id in (
        words_key_id(story_id, "submission", 2),
        words_key_id(story_id, "submission", 3),
        words_key_id(story_id, "scheduled", 2),
    ):
        assert keys.key(key_id) is None and keys.is_destroyed(key_id), key_id
    words = [e for e in events if e["type"] in ("UpdateSubmitted", "SubmissionRevised", "UpdateScheduled")]
    assert len(words) == 7 and all(e["data"]["erased"] == ["title", "byline", "body"] for e in words)
    taken_down = [e for e in events if e["type"] in ("SubmissionTakenDown", "ScheduledPostTakenDown")]
    named = [(e["type"], e["data"].get("submission") or e["data"]["scheduled"]) for e in taken_down]
    assert named == [("SubmissionTakenDown", 2), ("SubmissionTakenDown", 3), ("ScheduledPostTakenDown", 2)]
    assert {e["data"]["order"] for e in taken_down} == {"HC-2013-118"}
    labels = [row["label"] for row in history]
    assert "Submission 2 taken down" in labels and "Scheduled post 2 taken down" in labels
    assert "every chain verifies" in _read(run, "audit", "verify")
    assert "the read models match" in _read(run, "audit", "replay")
    assert json.loads(_read(run, "keys", "status", "--format", "json"))["matches"]


def test_taking_down_earlier_words_again_finishes_the_job_and_records_nothing(
    all_taken_down: Services, run: Run
) -> None:
    version = all_taken_down.app.get_story(SLUG).version

    result = _take_down_earlier(run, "takedown-submission", "2")

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{SLUG}: submission 2 was already taken down; its erasure is complete\n"
    assert all_taken_down.app.get_story(SLUG).version == version


@pytest.mark.parametrize(
    ("command", "number", "error"),
    [
        ("takedown-submission", "9", f"story '{SLUG}' has no submission 9; submissions are numbered 1 to 1; "
         f"`newsroom submissions {SLUG}` lists the pending ones"),
        ("takedown-submission", "1", f"submission 1 of '{SLUG}' became update 4: take that down with "
         f"`newsroom update takedown {SLUG} 4`"),
        ("takedown-scheduled", "1", f"scheduled post 1 of '{SLUG}' became update 5: take that down with "
         f"`newsroom update takedown {SLUG} 5`"),
    ],
)  # fmt: skip
def test_a_takedown_of_unknown_words_or_words_that_became_an_update_is_refused_in_one_line(
    newsroom: Services, run: Run, command: str, number: str, error: str
) -> None:
    _story_with_update_3(newsroom)
    _updates_4_and_5_from_a_submission_and_a_schedule(newsroom)
    version = newsroom.app.get_story(SLUG).version

    result = _take_down_earlier(run, command, number)

    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {error}\n")
    assert newsroom.app.get_story(SLUG).version == version


def test_a_missing_key_reads_as_erased_never_as_an_error(newsroom: Services, run: Run) -> None:
    _story_with_update_3(newsroom)
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
    _story_with_update_3(newsroom)

    done = take_down_update(newsroom, SLUG, 3, order="HC-9", note=NOTE, editor="ann")

    assert done.key_destroyed and done.version == newsroom.app.get_story(SLUG).version
    assert newsroom.keys.key(update_key_id(Story.id_for(SLUG), 3)) is None


def test_a_process_that_reads_a_takedown_back_forgets_the_key_of_the_submission_it_came_from(
    newsroom: Services, run: Run
) -> None:
    _story_with_update_3(newsroom)
    _updates_4_and_5_from_a_submission_and_a_schedule(newsroom)
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


def test_sqlite_key_store_overwrites_a_destroyed_key(tmp_path: Path) -> None:
    from infrastructure.key_stores import SQLiteKeyStore

    store = SQLiteKeyStore(tmp_path / "k.keys")
    key = store.key_for_sealing("update/x/1")
    store.destroy("update/x/1", reference="HC-1", at=__import__("datetime").datetime(2013, 5, 10))
    store.close()

    assert key not in (tmp_path / "k.keys").read_bytes()
    assert sqlite3.connect(tmp_path / "k.keys").execute("SELECT reference FROM tombstones").fetchall() == [
        ("HC-1",)
    ]


def test_keys_status_counts_keys_and_destroyed_ones(taken_down: Services, run: Run) -> None:
    status = json.loads(_read(run, "keys", "status", "--format", "json"))

    assert (status["destroyed"], status["matches"], status["missing"]) == (1, True, [])
    assert status["keys"] >= 2 and status["sealed_events"] >= 7  # each names its editor


def test_keys_status_lists_sealed_events_whose_keys_are_lost(newsroom: Services, run: Run) -> None:
    _story_with_update_3(newsroom)
    store = newsroom.keys.store
    for key_id in store.live_ids():  # a key store lost, or restored from an older backup
        store.destroy(key_id, reference="test", at=newsroom.clock())
    _forget_tombstones(newsroom)

    result = run("keys", "status")

    assert result.exit_code == 1
    assert f"missing key: {SLUG} v5 (update/{Story.id_for(SLUG)}/3): reads as erased" in result.stdout


def _forget_tombstones(services: Services) -> None:
    store = services.keys.store
    if isinstance(store, __import__("infrastructure.key_stores", fromlist=["x"]).SQLiteKeyStore):
        store.db.execute("DELETE FROM tombstones")
    else:
        from psycopg.sql import SQL, Identifier

        tombstones = Identifier(store.schema, "tombstones")  # type: ignore[attr-defined]
        store.db.execute(SQL("DELETE FROM {}").format(tombstones))  # type: ignore[attr-defined]


def test_a_takedown_warns_when_the_updates_digests_were_stored_before_they_were_keyed(
    newsroom: Services, run: Run
) -> None:
    app = newsroom.app
    app.open_story(SLUG, "A court case", None, editor="ann")
    app.post_update(SLUG, "Keyed", "Words.", editor="ann")
    keys, app.digest_keys = app.digest_keys, None  # as a store sealed before digests were keyed
    app.post_update(SLUG, f"Title {PHRASE}", "Words.", editor="ann")
    app.digest_keys = keys

    plain = run("update", "takedown", SLUG, "2", "--order", "HC-1", "--note", NOTE)
    keyed = run("update", "takedown", SLUG, "1", "--order", "HC-1", "--note", NOTE)

    assert (plain.exit_code, keyed.exit_code, keyed.stderr) == (0, 0, "")
    assert plain.stderr == (
        "Warning: update 2's digests were stored before they were keyed by its key: they can still "
        "confirm a guessed title, quote or attribution (stored events are never changed)\n"
    )
