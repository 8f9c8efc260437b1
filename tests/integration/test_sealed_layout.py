"""How a sealed event lies in the store, laid out for a fast rebuild: its JSON with each sealed field
`null` and an envelope per key (`[key id, fields, size]`), then a NUL byte and each envelope's box
(the fields' commitments in clear, a nonce, the ciphertext: words compressed before they are
sealed), on SQLite and PostgreSQL; what an auditor can and cannot see of damage to a box."""

from __future__ import annotations

import json
import os
import zlib

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.utils import get_topic

from domain.chain import COMMITMENT, commitment
from domain.markdown_body import parse_body
from domain.story import Story
from infrastructure.audit.verify import BreakKind, verify_store
from infrastructure.bootstrap import Services
from infrastructure.sealed_layout import (
    BOXES,
    COMMITMENT_BYTES,
    DEFLATED,
    INFLATED_MAX,
    NONCE_BYTES,
    bound_prefix,
    commitments_in_boxes,
    deflated,
    inflated,
    split_boxes,
)
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


LONG_BODY = (
    "David Cameron and Vladimir Putin met in Sochi on Friday for talks on the crisis in Syria, two "
    "weeks before the planned peace conference in Geneva.\n\n> We need to increase the pressure on "
    "the Assad regime and make sure the opposition is ready to take part in a transitional "
    "government.\n>\n> – The Prime Minister's spokesman\n\n- The talks lasted three hours\n"
    "- Both leaders agreed to meet again before the conference\n- No joint statement was issued\n"
)


def _words_box(newsroom: Services, raw: RawEvents, version: int) -> tuple[bytes, bytes]:
    """A post's words box as stored (nonce, ciphertext and tag), and its plaintext opened with the
    update's key."""
    head, boxes = split_boxes(raw.state(STORY_ID, version))
    [words_key, fields, size], *_ = json.loads(head)["sealed"]
    box = boxes[len(fields) * COMMITMENT_BYTES : size]
    key = newsroom.app.mapper.keys.key(words_key)
    bound = bound_prefix(get_topic(Story.UpdatePosted), STORY_ID, version) + words_key
    return box, AESGCM(key).decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], bound.encode())


def test_an_update_s_words_are_compressed_before_they_are_sealed_and_read_back_whole(
    newsroom: Services, raw: RawEvents
) -> None:
    newsroom.app.open_story(SLUG, "A court case", editor="ann")
    newsroom.app.post_update(SLUG, "Leaders meet in Sochi", LONG_BODY, editor="ann", byline="Ann")

    box, plain = _words_box(newsroom, raw, 2)
    [stored] = newsroom.app.recorder.select_events(STORY_ID, gt=1, lte=2)
    event = newsroom.app.mapper.to_domain_event(stored)

    words = inflated(plain)
    assert plain[:1] == DEFLATED and words is not None
    _, title, byline, body = json.loads(words)
    assert (title, byline) == ("Leaders meet in Sochi", "Ann") and len(body) == len(parse_body(LONG_BODY))
    assert len(box) < 0.75 * len(words)  # nonce and tag included, against the words' JSON
    assert (event.title, event.byline, tuple(event.body)) == (
        "Leaders meet in Sochi",
        "Ann",
        parse_body(LONG_BODY),
    )
    assert verify_store(newsroom.app).intact


def test_a_name_is_sealed_as_it_is(newsroom: Services, raw: RawEvents) -> None:
    version = _posted(newsroom)
    head, boxes = split_boxes(raw.state(STORY_ID, version))
    words_envelope, [name_key, fields, size] = json.loads(head)["sealed"]
    box = boxes[words_envelope[2] + len(fields) * COMMITMENT_BYTES : words_envelope[2] + size]
    bound = bound_prefix(get_topic(Story.UpdatePosted), STORY_ID, version) + name_key
    key = newsroom.app.mapper.keys.key(name_key)

    plain = AESGCM(key).decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], bound.encode())

    assert json.loads(plain)[1] == "ann"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda words: deflated(words)[:-3], id="cut short"),
        pytest.param(lambda words: deflated(words) + b"more", id="bytes after its end"),
        pytest.param(lambda words: DEFLATED + b"not deflate at all", id="not deflate"),
        pytest.param(lambda words: deflated(b"[" + b" " * INFLATED_MAX + b"]"), id="inflates past the bound"),
    ],
)
def test_sealed_words_that_do_not_inflate_whole_within_the_bound_read_as_erased(
    newsroom: Services, raw: RawEvents, damage
) -> None:
    """Only a holder of the update's key could seal such a box: it is damage, never a crash or a
    bomb (inflating stops one byte past the bound)."""
    newsroom.app.open_story(SLUG, "A court case", editor="ann")
    newsroom.app.post_update(SLUG, "Outside the court", PHRASE, editor="ann")
    head, boxes = split_boxes(raw.state(STORY_ID, 2))
    envelopes = json.loads(head)["sealed"]
    [words_key, fields, size] = envelopes[0]
    _, plain = _words_box(newsroom, raw, 2)
    nonce = os.urandom(NONCE_BYTES)
    bound = bound_prefix(get_topic(Story.UpdatePosted), STORY_ID, 2) + words_key
    resealed = nonce + AESGCM(newsroom.app.mapper.keys.key(words_key)).encrypt(
        nonce, damage(inflated(plain)), bound.encode()
    )
    commitments = boxes[: len(fields) * COMMITMENT_BYTES]
    envelopes[0][2] = len(commitments) + len(resealed)
    state = json.loads(head)
    state["sealed"] = envelopes
    raw.set_state(
        STORY_ID,
        2,
        json.dumps(state, separators=(",", ":")).encode() + BOXES + commitments + resealed + boxes[size:],
    )

    [stored] = newsroom.app.recorder.select_events(STORY_ID, gt=1, lte=2)
    event = newsroom.app.mapper.to_domain_event(stored)

    assert set(event.erased) == {"title", "byline", "body"} and event.editor == "ann"


def test_a_box_sealed_before_words_were_compressed_reads_as_before() -> None:
    words = b'[["salt"],"Outside the court"]'

    assert inflated(words) == words and inflated(deflated(words)) == words
    assert zlib.decompress(deflated(words)[1:], -15) == words  # raw DEFLATE after the mark
