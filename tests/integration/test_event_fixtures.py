"""Old events keep loading: every stored event fixture, of every type and class version, loads
through the current code and still matches its hash; a signed one's signature still verifies, by
the newsroom's own SSHSIG check and by the real `ssh-keygen -Y verify`. Select with
`pytest -k fixtures`."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from domain.application import Newsroom, _fold_story
from domain.chain import COMMITMENT, commitment, event_content, hash_content
from domain.errors import NothingToChange, UpdateNotFound, UpdateNotSealed, UpdateRetracted
from domain.markdown_body import parse_body
from domain.signing import PublicKey, namespace_for, signed_message
from domain.story import Story
from domain.update import keyed_digests, text_digest
from domain.update_digests import UpdateDigests
from infrastructure import sshsig
from infrastructure.bootstrap import bootstrap, build_newsroom
from infrastructure.keys import MemoryKeyStore, digest_key, update_key_id
from infrastructure.sealed_layout import (
    BOXES,
    COMMITMENT_BYTES,
    DEFLATED,
    NONCE_BYTES,
    bound_prefix,
    commitments_in_boxes,
    envelope_parts,
    split_boxes,
)
from tests.conftest import StepClock
from tests.fixtures.record_event_fixtures import (
    FIXTURES,
    SIGNED_STORE_ID,
    VARIANTS,
    Variant,
    missing_variants,
    record,
    signing_test_keys,
)
from tests.support.every_event import BODY as EVERY_EVENT_BODY
from tests.support.snapshot_stories import (
    PARTLY_SEALED_STORY,
    SEALED_STORY,
    partly_sealed_story,
    sealed_story,
)

FILES = sorted(FIXTURES.glob("*.json"))
SIGNED_FILES = [p for p in FILES if ".signed." in p.name]
NAMESPACE = namespace_for(SIGNED_STORE_ID)


@pytest.fixture(scope="module")
def app():
    # With a key store, as every store is read: one without the fixtures' keys (words erased).
    newsroom = build_newsroom({"PERSISTENCE_MODULE": "eventsourcing.popo"}, keys=MemoryKeyStore())
    yield newsroom
    newsroom.close()


def stored(path: Path) -> StoredEvent:
    record = json.loads(path.read_text(encoding="utf-8"))
    boxes = BOXES + base64.b64decode(record["boxes"]) if "boxes" in record else b""
    return StoredEvent(
        originator_id=UUID(record["originator_id"]),
        originator_version=record["originator_version"],
        topic=record["topic"],
        state=record["state"].encode("utf-8") + boxes,
    )


def hashed_state(app: Newsroom, stored_event: StoredEvent) -> dict[str, Any]:
    """The stored state as its hash covers it: a sealed field by its commitment (from its box)."""
    head, boxes = split_boxes(stored_event.state)
    state = app.mapper.transcoder.decode(head)
    state.update(commitments_in_boxes(state.get("sealed"), boxes))
    return state


def test_fixtures_hold_every_variant_of_every_event_class_at_its_current_version() -> None:
    assert missing_variants(FIXTURES) == {}


def test_the_recorder_writes_every_variant_from_one_scenario(app, tmp_path: Path) -> None:
    record(tmp_path / "events", tmp_path / "sealed_keys.json")

    recorded = sorted((tmp_path / "events").glob("*.json"))
    assert missing_variants(tmp_path / "events") == {}
    for path in recorded:
        stored_event = stored(path)
        event = app.mapper.to_domain_event(stored_event)
        if path.name.startswith("Story.") or ".signed." in path.name:
            state = hashed_state(app, stored_event)
            content = event_content(
                stored_event.topic, stored_event.originator_id, stored_event.originator_version, state
            )
            assert hash_content(content) == state["hash"] == event.hash, path.name
        if ".signed." in path.name:
            assert signature_of(event).verifies(signed_message(event.hash), NAMESPACE), path.name


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_the_completeness_check_asks_for_each_variant(tmp_path: Path, variant: Variant) -> None:
    for path in FILES:
        if not variant.has(resolve_topic(stored(path).topic), {path.name}):
            (tmp_path / path.name).write_bytes(path.read_bytes())

    missing = missing_variants(tmp_path)

    assert set(missing) == {variant.name}
    assert missing[variant.name] == sorted(c.__qualname__ for c in variant.wanted)


@pytest.mark.parametrize("path", [p for p in FILES if p.name.endswith(".role.json")], ids=lambda p: p.stem)
def test_a_story_event_recording_a_role_loads_with_it_and_its_hash_covers_it(app, path: Path) -> None:
    stored_event = stored(path)
    state = hashed_state(app, stored_event)
    without_role = {k: v for k, v in state.items() if k != "role"}

    def hashed(values: dict) -> str:
        return hash_content(
            event_content(
                stored_event.topic, stored_event.originator_id, stored_event.originator_version, values
            )
        )

    assert app.mapper.to_domain_event(stored_event).role in ("editor", "legal")
    assert hashed(state) == state["hash"] != hashed(without_role)


def test_a_story_event_stored_before_roles_reads_as_done_under_none(app) -> None:
    event = app.mapper.to_domain_event(stored(FIXTURES / "Story.Published.v1.json"))

    assert event.role is None and "role" not in vars(event)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fixtures_load_through_the_current_code(app, path: Path) -> None:
    stored_event = stored(path)

    event = app.mapper.to_domain_event(stored_event)

    assert get_topic(type(event)) == get_topic(resolve_topic(stored_event.topic))
    assert event.originator_version == stored_event.originator_version
    for name in type(event).__dataclass_fields__:
        assert hasattr(event, name), f"{path.name} loads without {name}"


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("Story.")], ids=lambda p: p.stem)
def test_fixtures_still_match_their_chain_hash(app, path: Path) -> None:
    stored_event = stored(path)
    state = hashed_state(app, stored_event)

    content = event_content(
        stored_event.topic, stored_event.originator_id, stored_event.originator_version, state
    )

    assert hash_content(content) == state["hash"]


def test_a_version_2_story_snapshot_loads_with_its_counts_and_flags(app) -> None:
    # Recorded by the code of commit c28a1c5: a row per update with titles and quotes in words.
    snapshot = app.mapper.to_domain_event(stored(FIXTURES.parent / "snapshots" / "Story.v2.json"))

    story = snapshot.mutate(None)

    assert (story.slug, story.version, story.update_count) == ("snapshot-story", 6, 3)
    assert (story.retracted, story.key_events, story.pinned) == ([3], [1], None)
    with pytest.raises(UpdateRetracted):
        story.pin_update(3, editor="ann", at=snapshot.timestamp)
    with pytest.raises(UpdateNotFound):
        story.require_update(4)


def _words_sealed(path: Path) -> bool:
    """Words sealed under an update's key (`.sealed.json`) or, once sealed too, a submission's, a
    scheduled post's or an approval's (`.words.json`, names sealed too), their ciphertexts in
    base64 in the JSON; or, with the ciphertexts as bytes after it (`.boxed.json`; its envelopes as
    arrays, `.boxed.arrays.json`; its words compressed in their box, `.boxed.arrays.deflated.json`,
    as stores are written now), any event with words."""
    if path.name.endswith((".boxed.json", ".boxed.arrays.json", ".boxed.arrays.deflated.json")):
        return bool(getattr(resolve_topic(stored(path).topic), "protected", ()))
    return path.name.endswith((".sealed.json", ".words.json"))


SEALED = [p for p in FILES if _words_sealed(p)]


def _sealed_app(with_keys: bool):  # type: ignore[no-untyped-def]
    keys = MemoryKeyStore()
    if with_keys:
        recorded = json.loads((FIXTURES.parent / "sealed_keys.json").read_text(encoding="utf-8"))
        keys.keys = {key_id: base64.b64decode(key) for key_id, key in recorded.items()}
    return build_newsroom({"PERSISTENCE_MODULE": "eventsourcing.popo"}, keys=keys)


@pytest.mark.parametrize("path", SEALED, ids=[p.stem for p in SEALED])
def test_sealed_fixtures_open_with_their_keys_to_values_matching_their_commitments(path: Path) -> None:
    stored_event = stored(path)
    app = _sealed_app(with_keys=True)
    state = hashed_state(app, stored_event)

    event = app.mapper.to_domain_event(stored_event)

    assert "erased" not in vars(event)
    for name, salt in event.salts.items():
        assert state[name] == {COMMITMENT: commitment(salt, getattr(event, name))}
    app.close()


@pytest.mark.parametrize("path", SEALED, ids=[p.stem for p in SEALED])
def test_sealed_fixtures_name_the_keys_that_sealed_them_in_every_envelope_layout(path: Path) -> None:
    recorded = json.loads((FIXTURES.parent / "sealed_keys.json").read_text(encoding="utf-8"))
    head, boxes = split_boxes(stored(path).state)

    parts = [envelope_parts(envelope) for envelope in json.loads(head)["sealed"]]

    assert {key_id for key_id, _, _ in parts} <= set(recorded)  # what `keys status` looks up
    sizes = [size for _, _, size in parts]
    assert sum(sizes) == len(boxes) if boxes else sizes == [None] * len(parts)


BOXED_WORDS = [p for p in SEALED if ".boxed.arrays" in p.name]


@pytest.mark.parametrize("path", BOXED_WORDS, ids=[p.stem for p in BOXED_WORDS])
def test_words_boxes_are_compressed_in_the_deflated_fixtures_and_only_there(path: Path) -> None:
    """Both layouts of a words box stay readable (the fixtures above open): these prove which is which."""
    recorded = json.loads((FIXTURES.parent / "sealed_keys.json").read_text(encoding="utf-8"))
    stored_event = stored(path)
    head, boxes = split_boxes(stored_event.state)
    [key_id, fields, size], *_ = json.loads(head)["sealed"]
    box = boxes[len(fields) * COMMITMENT_BYTES : size]
    bound = bound_prefix(stored_event.topic, stored_event.originator_id, stored_event.originator_version)

    plain = AESGCM(base64.b64decode(recorded[key_id])).decrypt(
        box[:NONCE_BYTES], box[NONCE_BYTES:], (bound + key_id).encode()
    )

    assert key_id.startswith(("update/", "submission/", "scheduled/"))
    assert plain.startswith(DEFLATED if path.name.endswith(".deflated.json") else b"[")


@pytest.mark.parametrize("path", SEALED, ids=[p.stem for p in SEALED])
def test_sealed_fixtures_read_as_erased_without_their_keys(path: Path) -> None:
    app = _sealed_app(with_keys=False)

    event = app.mapper.to_domain_event(stored(path))

    assert set(event.erased) == set(type(event).protected)
    assert "salts" not in vars(event)
    app.close()


def test_a_version_3_story_snapshot_loads_in_utc(app) -> None:
    # Recorded by the code of commit f381011, before stories had a time zone.
    snapshot = app.mapper.to_domain_event(stored(FIXTURES.parent / "snapshots" / "Story.v3.json"))

    story = snapshot.mutate(None)

    assert (story.slug, story.version, story.update_count) == ("snapshot-story", 6, 3)
    assert (story.retracted, story.key_events, story.time_zone) == ([3], [1], "UTC")
    with pytest.raises(NothingToChange):
        story.change_time_zone("UTC", editor="ann", at=snapshot.timestamp)


def test_a_version_3_story_snapshot_loads_with_no_submissions_and_takes_one(app) -> None:
    # Recorded by the code of commit d52ef60, before submissions.
    snapshot = app.mapper.to_domain_event(stored(FIXTURES.parent / "snapshots" / "Story.v3.pinned.json"))

    story = snapshot.mutate(None)

    assert (story.slug, story.version, story.update_count, story.pinned) == ("snapshot-story-v3", 6, 3, 2)
    assert (story.submission_count, story.pending) == (0, [])
    assert story.submit_update("Offered", parse_body("News."), editor="cat", at=snapshot.timestamp) == 1


def _rules_state(story: Story) -> dict[str, Any]:
    """What the story's rules decide on, all but its head hash: a sealed event's salts, and so
    its hash, are drawn afresh each time a story is told."""
    return {
        name: value for name, value in vars(story).items() if name not in ("head_hash", "_pending_events")
    }


def _folded(app: Newsroom, slug: str) -> Story:
    """The story folded from every one of its events, no snapshot."""
    return _fold_story(None, app.events.get(Story.id_for(slug)))


def test_a_version_4_snapshot_of_a_sealed_story_loads_as_the_story_folded_afresh(app) -> None:
    # Recorded by the code of commit e61fa01, holding the updates posted sealed one number each.
    snapshot = app.mapper.to_domain_event(stored(FIXTURES.parent / "snapshots" / "Story.v4.json"))
    told = sealed_story(StepClock())
    try:
        folded = _folded(told, SEALED_STORY)
    finally:
        told.close()

    story = snapshot.mutate(None)

    assert _rules_state(story) == _rules_state(folded)
    assert (story.sealed_updates, story.taken_down, story.retracted) == ([[1, 4]], [3], [1])
    assert "word_sources" not in vars(story)  # read off the events at a takedown, not kept


def test_a_version_4_snapshot_of_a_story_sealed_with_gaps_loads_as_the_story_folded_afresh(
    app, tmp_path: Path
) -> None:
    # Recorded by the code of commit e61fa01: updates 2, 3 and 5 posted sealed, 3 taken down.
    snapshot = app.mapper.to_domain_event(
        stored(FIXTURES.parent / "snapshots" / "Story.v4.partly-sealed.json")
    )
    url = f"sqlite:///{tmp_path / 'n.db'}"
    partly_sealed_story(url, StepClock())
    services = bootstrap(url)
    try:
        folded = _folded(services.app, PARTLY_SEALED_STORY)
    finally:
        services.close()

    story = snapshot.mutate(None)

    assert _rules_state(story) == _rules_state(folded)
    assert story.sealed_updates == [[2, 3], [5, 5]]
    with pytest.raises(UpdateNotSealed):
        story.take_down_update(4, order="HC-3", note="Removed.", editor="ann", at=snapshot.timestamp)
    story.take_down_update(5, order="HC-3", note="Removed.", editor="ann", at=snapshot.timestamp)


def _digests(app, name: str) -> UpdateDigests:  # type: ignore[no-untyped-def]
    return app.mapper.to_domain_event(stored(FIXTURES / name)).mutate(None)


def test_version_1_digests_load_as_plain_and_still_compare(app) -> None:
    update = _digests(app, "UpdateDigests.Posted.v1.json")

    assert update.keyed is False
    assert update.quotes[0].has_text("We are hopeful.") and update.quotes[0].has_attribution("The spokesman")


def test_keyed_digests_compare_only_under_their_updates_key(app) -> None:
    recorded = json.loads((FIXTURES.parent / "sealed_keys.json").read_text(encoding="utf-8"))
    update = _digests(app, "UpdateDigests.Posted.v2.keyed.json")
    update_key = base64.b64decode(recorded[update_key_id(update.story_id, update.number)])

    assert update.keyed is True
    with keyed_digests(lambda _story, _number: digest_key(update_key)):
        assert update.has_title("Quotes") and update.has_body(parse_body(EVERY_EVENT_BODY))
        assert update.quotes[0].has_attribution("The spokesman")
    assert update.title != text_digest("Quotes")  # the plain digest of the title is not stored
    with keyed_digests(lambda _story, _number: digest_key(bytes(32))):
        assert not update.has_title("Quotes")  # under any other key it confirms nothing


def test_plain_version_2_digests_compare_without_a_key(app) -> None:
    update = _digests(app, "UpdateDigests.Posted.v2.json")

    assert update.keyed is False
    assert update.has_title("Quotes") and update.quotes[0].has_text("We are hopeful.")


def signature_of(event: object) -> sshsig.Signature:
    return sshsig.Signature.parse(base64.b64decode(vars(event)["signature"], validate=True))


def test_the_signed_fixtures_are_of_every_story_and_roster_event_a_store_that_signs_holds() -> None:
    signed = {resolve_topic(stored(path).topic) for path in SIGNED_FILES}
    (variant,) = [v for v in VARIANTS if v.signs]

    assert signed == {c for c in variant.wanted if c.__qualname__.startswith(("Story.", "Roster."))}


@pytest.mark.parametrize("path", SIGNED_FILES, ids=[p.stem for p in SIGNED_FILES])
def test_signed_fixtures_still_match_their_chain_hash_and_their_author_s_signature(path: Path) -> None:
    stored_event = stored(path)
    app = _sealed_app(with_keys=True)  # to read who made it: the names are sealed
    state = hashed_state(app, stored_event)
    event = app.mapper.to_domain_event(stored_event)
    content = event_content(
        stored_event.topic, stored_event.originator_id, stored_event.originator_version, state
    )

    signature = signature_of(event)

    assert hash_content(content) == state["hash"] == event.hash
    assert signature.key == PublicKey.parse(signing_test_keys()(event.editor).line)
    assert signature.verifies(signed_message(event.hash), NAMESPACE)
    assert not signature.verifies(signed_message(event.previous_hash), NAMESPACE)
    assert not signature.verifies(signed_message(event.hash), namespace_for("another-store"))
    app.close()


def test_a_signed_fixture_is_verified_by_the_real_ssh_keygen(tmp_path: Path) -> None:
    event = _sealed_app(with_keys=False).mapper.to_domain_event(
        stored(FIXTURES / "Roster.Started.v1.signed.sealed.persons.boxed.arrays.json")
    )
    (tmp_path / "allowed_signers").write_text(f"root {signing_test_keys()('root').line}\n", encoding="ascii")
    (tmp_path / "event.sig").write_text(
        sshsig.armoured(base64.b64decode(vars(event)["signature"])), encoding="ascii"
    )

    def ssh_keygen_verifies(message: bytes) -> bool:
        checked = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed_signers"), "-I", "root",
             "-n", NAMESPACE, "-s", str(tmp_path / "event.sig")],
            input=message, capture_output=True, timeout=60,
        )  # fmt: skip
        return checked.returncode == 0

    assert ssh_keygen_verifies(signed_message(event.hash))
    assert not ssh_keygen_verifies(signed_message(event.previous_hash))


def test_the_signed_store_began_signing_with_the_roster_s_first_change(app) -> None:
    began = app.mapper.to_domain_event(stored(FIXTURES / "Signatures.Began.v1.json"))
    started = app.mapper.to_domain_event(
        stored(FIXTURES / "Roster.Started.v1.signed.sealed.persons.boxed.arrays.json")
    )

    assert (began.store_id, began.roster_version) == (SIGNED_STORE_ID, started.originator_version)
    assert began.roster_last > began.roster_version  # root added and their key registered with it


def test_key_fixtures_carry_test_keys_and_cards_their_fingerprints(app) -> None:
    kept = {PublicKey.parse(pair.line) for pair in signing_test_keys().pairs()}
    key_events = [
        p for p in SIGNED_FILES if p.name.startswith(("Roster.KeyRegistered.", "Roster.KeyRevoked."))
    ]
    cards = [
        p for p in FILES if p.name.startswith(("StaffCard.Issued.v1.keys.", "StaffCard.Changed.v1.keys."))
    ]

    keys = {PublicKey.parse(app.mapper.to_domain_event(stored(p)).key) for p in key_events}
    held = [set(app.mapper.to_domain_event(stored(p)).keys) for p in cards]

    assert len(key_events) == 2 and keys <= kept
    assert len(cards) == 2 and all(held) and set().union(*held) <= {k.fingerprint for k in kept}
