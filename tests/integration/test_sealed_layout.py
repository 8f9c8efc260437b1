"""How a sealed event lies in the store, laid out for a fast rebuild: its JSON with each sealed field
`null` and an envelope per key (`[key id, fields, size]`), then a NUL byte and each envelope's box
(the fields' commitments in clear, a nonce, the ciphertext), on SQLite and PostgreSQL; what an
auditor can and cannot see of damage to a box."""

from __future__ import annotations

import json

from domain.chain import COMMITMENT, commitment
from domain.story import Story
from infrastructure.audit.verify import BreakKind, verify_store
from infrastructure.bootstrap import Services
from infrastructure.sealed_layout import BOXES, COMMITMENT_BYTES, commitments_in_boxes, split_boxes
from tests.integration.tampering import RawEvents

SLUG = "court"
STORY_ID = Story.id_for(SLUG)
PHRASE = "The defendant's name is Jane Roe"


def _posted(newsroom: Services) -> int:
    newsroom.app.open_story(SLUG, "A court case", editor="ann")
    newsroom.app.post_update(SLUG, "Outside the court", PHRASE, editor="ann")
    return 2  # the post's version


def test_a_sealed_event_is_its_json_then_its_boxes_whose_commitments_are_the_chains(
    newsroom: Services, raw: RawEvents
) -> None:
    version = _posted(newsroom)

    head, boxes = split_boxes(raw.state(STORY_ID, version))
    state = json.loads(head)
    [stored] = newsroom.app.recorder.select_events(STORY_ID, gt=version - 1, lte=version)
    event = newsroom.app.mapper.to_domain_event(stored)

    assert BOXES not in head and PHRASE.encode() not in boxes
    assert state["title"] is None and state["body"] is None and state["editor"] is None
    (words_key, words, words_size), (name_key, name, name_size) = state["sealed"]
    assert (words_key, words, name) == (f"update/{STORY_ID}/1", ["title", "byline", "body"], ["editor"])
    assert name_key.startswith("person/") and "ann" not in name_key
    assert words_size + name_size == len(boxes)
    assert words_size > 3 * COMMITMENT_BYTES + 12 + 16  # commitments, nonce, ciphertext and tag
    assert commitments_in_boxes(state["sealed"], boxes) == {
        name: {COMMITMENT: commitment(salt, getattr(event, name))} for name, salt in event.salts.items()
    }
    assert (event.title, event.editor) == ("Outside the court", "ann")


def test_a_flipped_ciphertext_byte_reads_as_erased_and_a_box_cut_short_is_found_by_the_audit(
    newsroom: Services, raw: RawEvents
) -> None:
    version = _posted(newsroom)
    stored = raw.state(STORY_ID, version)
    flipped = stored[:-20] + bytes([stored[-20] ^ 1]) + stored[-19:]  # inside the last box's ciphertext
    raw.set_state(STORY_ID, version, flipped)

    [read] = newsroom.app.recorder.select_events(STORY_ID, gt=version - 1, lte=version)
    event = newsroom.app.mapper.to_domain_event(read)

    assert event.editor == "[erased]" and event.title == "Outside the court"  # the name's box: no tag
    assert verify_store(newsroom.app).intact  # no hash covers a ciphertext: only the keys can tell

    raw.set_state(STORY_ID, version, stored[:-1])
    [finding] = verify_store(newsroom.app).breaks
    assert (finding.version, finding.kind) == (version, BreakKind.CONTENT_ALTERED)


def test_a_changed_commitment_in_a_box_breaks_the_chain(newsroom: Services, raw: RawEvents) -> None:
    version = _posted(newsroom)
    stored = raw.state(STORY_ID, version)
    at = stored.index(BOXES) + 1  # the first byte of the first commitment
    raw.set_state(STORY_ID, version, stored[:at] + bytes([stored[at] ^ 1]) + stored[at + 1 :])

    [finding] = verify_store(newsroom.app).breaks

    assert (finding.version, finding.kind) == (version, BreakKind.CONTENT_ALTERED)
