"""A person's erasure on real stores: their name reads "[erased]" in every reading, is nowhere in
the store's bytes, the record of the erasure stays (never whom), and the audit still passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import newsroom
from domain.application import Newsroom
from domain.errors import LastAdmin, NameErased, NotOnStaff, NotPermitted
from domain.staff import Roster
from domain.story import Story
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.erasure import erase_person
from tests.support.store_bytes import encodings, read_model_tables, store_files

SLUG = "inquiry"
NAME = "Zoë Quarrington-Ülker"
"""The distinctive name erased: non-ASCII, so that escaped encodings differ from UTF-8."""
REQUEST = "DSAR-2026-014"


def _run(store_url: str, editor: str, *args: str) -> Result:
    return CliRunner().invoke(newsroom, ["--db", store_url, "--as", editor, *args], catch_exceptions=False)


@pytest.fixture
def erased(newsroom: Services, store_url: str) -> Services:
    app = newsroom.app
    app.add_staff("root", ["admin"], editor="root")
    app.add_staff(NAME, ["editor", "contributor"], editor="root")
    app.add_staff("ann", ["editor"], editor="root")
    app.open_story(SLUG, "An inquiry", None, editor=NAME)
    app.publish_story(SLUG, editor="ann")
    app.post_update(SLUG, "Opening", "> Words.\n>\n> – Someone", editor=NAME, request_id="r-1")
    app.correct_quote(SLUG, 1, 1, text="Better words.", note="Misquote", editor=NAME)
    app.submit_update(SLUG, "Offered", "From the field.", editor=NAME)
    for n in range(6):  # a snapshot at version 10 holds the pending submission's submitter
        app.post_update(SLUG, f"Filler {n}", "Words.", editor="ann")
    app.approve_submission(SLUG, 1, editor="ann")
    assert app.snapshots is not None and list(app.snapshots.get(Story.id_for(SLUG)))
    newsroom.caught_up()
    result = _run(store_url, "root", "staff", "erase", NAME, "--request", REQUEST)
    assert result.exit_code == 0, result.output
    assert "erased under request DSAR-2026-014" in result.stdout
    return newsroom


def _read(store_url: str, *args: str) -> str:
    result = _run(store_url, "root", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


READINGS = [
    ("history", SLUG),
    ("log",),
    ("editors",),
    ("events", SLUG),
    ("page", SLUG, "--format", "json"),
    ("page", SLUG, "--version", "4", "--format", "json"),
    ("history", SLUG, "--format", "json"),
    ("staff", "list"),
    ("staff", "history"),
]


@pytest.mark.parametrize("reading", READINGS, ids=lambda r: " ".join(r))
def test_every_reading_shows_the_name_erased(
    erased: Services, store_url: str, reading: tuple[str, ...]
) -> None:
    text = _read(store_url, *reading)
    assert NAME not in text
    assert "Zo" not in text.replace("Zone", "")


def test_the_history_and_log_read_erased_where_the_name_was(erased: Services, store_url: str) -> None:
    assert "[erased]" in _read(store_url, "log")
    assert "[erased]" in _read(store_url, "editors")
    submitted = json.loads(_read(store_url, "events", SLUG, "--format", "json"))
    assert "[erased]" in json.dumps(submitted)


def test_an_audit_export_holds_no_name(erased: Services, store_url: str, tmp_path: Path) -> None:
    _read(store_url, "audit", "export", "--out", str(tmp_path / "x.jsonl"))
    assert NAME not in (tmp_path / "x.jsonl").read_text(encoding="utf-8")


def test_audit_verify_and_replay_pass_after_an_erasure(erased: Services, store_url: str) -> None:
    _read(store_url, "audit", "verify")
    _read(store_url, "audit", "replay")


def test_a_rebuild_gives_the_same_tables(erased: Services, store_url: str) -> None:
    before = read_model_tables(erased)
    _read(store_url, "projections", "rebuild")
    assert read_model_tables(erased) == before


# A process keeps the keys it has read (`CachedKeys`): these run as a new process would.


def test_an_erased_person_can_no_longer_act(erased: Services, store_url: str) -> None:
    fresh = bootstrap(store_url, clock=erased.clock)
    with pytest.raises(NotOnStaff):
        fresh.app.post_update(SLUG, "Back", "Again.", editor=NAME)
    with pytest.raises(NameErased):
        fresh.app.add_staff(NAME, ["editor"], editor="root")
    fresh.close()
    result = _run(store_url, "root", "staff", "add", NAME, "--role", "editor")
    assert result.exit_code == 1 and "was erased" in result.output


def test_erasing_again_finishes_the_job_and_records_nothing(erased: Services, store_url: str) -> None:
    before = erased.app.recorder.max_notification_id()
    fresh = bootstrap(store_url, clock=erased.clock)
    done = erase_person(fresh, NAME, request=REQUEST, editor="root")
    fresh.close()
    assert (done.recorded, done.key_destroyed) == (False, False)
    assert erased.app.recorder.max_notification_id() == before


def test_only_an_admin_may_erase_and_a_refusal_appends_nothing(erased: Services, store_url: str) -> None:
    before = erased.app.recorder.max_notification_id()
    result = _run(store_url, "ann", "staff", "erase", "root", "--request", "R-2")
    assert result.exit_code == 1 and "admin" in result.output
    assert erased.app.recorder.max_notification_id() == before


def test_keys_status_counts_person_keys_and_erasures(erased: Services, store_url: str) -> None:
    status = json.loads(_read(store_url, "keys", "status", "--format", "json"))
    assert status["matches"] and status["erased_people"] == 1 and status["person_keys"] >= 2


def test_the_name_is_nowhere_in_the_store_bytes(erased: Services, store_url: str) -> None:
    files = store_files(store_url)
    assert files
    for file in files:
        data = file.read_bytes()
        for form in encodings(NAME):
            assert form not in data, f"{file.name} holds the name as {form!r}"


def _newsroom_with_staff(app: Newsroom) -> Newsroom:
    app.add_staff("root", ["admin"], editor="root")
    app.add_staff("bob", ["editor"], editor="root")
    return app


def test_erasing_a_member_takes_them_off_the_staff_in_the_same_write(app: Newsroom) -> None:
    _newsroom_with_staff(app)

    app.erase_person("bob", request="DSAR-1", editor="root")

    assert [m.name for m in app.get_staff()] == ["root"]
    assert app.get_erasure_count() == 1
    assert isinstance(app.get_staff_history()[-1], Roster.MemberRemoved)


def test_erasing_the_last_admin_is_refused_and_nothing_is_recorded(app: Newsroom) -> None:
    _newsroom_with_staff(app)
    before = app.recorder.max_notification_id()

    with pytest.raises(LastAdmin):
        app.erase_person("root", request="DSAR-1", editor="root")

    assert app.recorder.max_notification_id() == before


def test_only_an_admin_may_erase_in_a_direct_call_and_nothing_is_recorded(app: Newsroom) -> None:
    _newsroom_with_staff(app)
    before = app.recorder.max_notification_id()

    with pytest.raises(NotPermitted, match="only an admin may erase a person's name"):
        app.erase_person("root", request="DSAR-1", editor="bob")

    assert app.recorder.max_notification_id() == before


def test_a_card_issued_with_person_keys_has_no_id_derived_from_the_name(erased: Services) -> None:
    from domain.staff import StaffCard

    assert next(erased.app.events.get(StaffCard.id_for("ann"), limit=1), None) is None
    assert erased.app.get_badge("ann").roles == frozenset({"editor"})
    assert erased.app.get_badge(NAME).roles == frozenset()
