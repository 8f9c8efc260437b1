"""`audit verify` holds the key store to the record: a sealed event's key is there, or was destroyed
under the order of a takedown or the request of an erasure that the store records. A key gone any
other way is a finding (exit 1), though every chain is intact."""

from __future__ import annotations

import json

import pytest

from infrastructure.audit.verify import verify_store
from infrastructure.bootstrap import Services
from infrastructure.erasure import erase_person
from infrastructure.key_stores import SQLiteKeyStore
from infrastructure.keys import person_key_id, update_key_id
from infrastructure.takedown import take_down_update
from tests.integration.conftest import Run

SLUG = "court-case"
ORDER = "HC-2013-0042"


@pytest.fixture
def story(newsroom: Services) -> Services:
    app = newsroom.app
    app.open_story(SLUG, "A court case", None, editor="ann")
    app.post_update(SLUG, "Opening", "The case opens.", editor="ann")
    app.post_update(SLUG, "Second", "The words at issue.", editor="bob")
    return newsroom


def _key_of_update(services: Services, number: int) -> str:
    return update_key_id(services.app.get_story(SLUG).id, number)


def _delete_key_row_by_hand(services: Services, key_id: str) -> None:
    """What someone with the key store's database can do: the key gone, no tombstone left."""
    store = services.keys.store
    if isinstance(store, SQLiteKeyStore):
        store.db.execute("DELETE FROM keys WHERE key_id = ?", (key_id,))
    else:
        from psycopg import sql

        query = sql.SQL("DELETE FROM {}.keys WHERE key_id = %s").format(sql.Identifier(store.schema))  # type: ignore[attr-defined]
        store.db.execute(query, (key_id,))  # type: ignore[attr-defined]
    services.keys.forget(key_id)


def test_a_store_with_every_key_in_place_has_no_findings(story: Services) -> None:
    result = verify_store(story.app, keys=story.keys)

    assert result.intact and result.findings == ()


def test_a_takedown_explains_its_destroyed_key(story: Services) -> None:
    take_down_update(story, SLUG, 2, order=ORDER, note="Removed by order.", editor="ann")

    result = verify_store(story.app, keys=story.keys)

    assert result.intact and result.findings == ()


def test_a_key_deleted_by_hand_is_a_finding_though_every_chain_is_intact(story: Services, run: Run) -> None:
    key_id = _key_of_update(story, 2)
    _delete_key_row_by_hand(story, key_id)

    result = verify_store(story.app, keys=story.keys)

    assert result.intact
    [finding] = result.findings
    assert (finding.slug, finding.version, finding.key_id) == (SLUG, 3, key_id)
    assert "no tombstone records why" in finding.detail


def test_a_key_destroyed_under_an_order_no_takedown_records_is_a_finding(story: Services) -> None:
    key_id = _key_of_update(story, 2)
    story.keys.destroy(key_id, reference="FAKE-ORDER", at=story.clock())

    [finding] = verify_store(story.app, keys=story.keys).findings

    assert finding.key_id == key_id
    assert finding.detail == (
        "its key was destroyed under 'FAKE-ORDER', which no takedown of its update was made under"
    )


def test_a_tombstone_naming_another_updates_order_is_a_finding(story: Services) -> None:
    take_down_update(story, SLUG, 1, order=ORDER, note="Removed by order.", editor="ann")
    story.keys.destroy(_key_of_update(story, 2), reference=ORDER, at=story.clock())

    [finding] = verify_store(story.app, keys=story.keys).findings

    assert finding.key_id == _key_of_update(story, 2)


def test_an_erasure_explains_the_persons_destroyed_key(story: Services) -> None:
    erase_person(story, "bob", request="GDPR-17", editor="ann")

    assert verify_store(story.app, keys=story.keys).findings == ()


def test_a_persons_key_destroyed_without_an_erasure_is_a_finding(story: Services) -> None:
    key_id = person_key_id(story.keys.key("person-index") or b"", "bob")
    story.keys.destroy(key_id, reference="GDPR-17", at=story.clock())

    findings = verify_store(story.app, keys=story.keys).findings

    assert {f.key_id for f in findings} == {key_id}
    assert all("no erasure in the record was made under" in f.detail for f in findings)


def test_audit_verify_reports_the_finding_and_exits_1(story: Services, run: Run) -> None:
    _delete_key_row_by_hand(story, _key_of_update(story, 2))

    text = run("audit", "verify")
    as_json = run("audit", "verify", "--format", "json")

    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert lines[0].startswith("intact: 1 story, ")
    assert "FINDINGS: 1 key gone with no order or request on record" in lines
    assert any(line.startswith(f"{SLUG}  v3  key missing: 1 sealed event; its key is gone") for line in lines)
    document = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and document["intact"] is True
    assert [(f["slug"], f["version"], f["events"]) for f in document["findings"]] == [(SLUG, 3, 1)]


def test_audit_verify_of_one_story_holds_its_keys_too(story: Services, run: Run) -> None:
    _delete_key_row_by_hand(story, _key_of_update(story, 1))

    result = run("audit", "verify", SLUG, "--format", "json")

    assert result.exit_code == 1
    assert [f["version"] for f in json.loads(result.stdout)["findings"]] == [2]
