"""How a sealed story event lies in the store: the wire format that the mapper (`encryption`)
writes and opens, and that the audit and `keys status` read without keys.

A story event created sealed is stored as JSON with each protected field `null` and an envelope
per key (`sealed`: `[key id, fields, size]`), then a NUL byte (JSON never holds one raw) and each
envelope's box, in order: the commitment of each of its fields (32 bytes, SHA-256, in clear: the
event's hash covers them, as hex), a 12-byte nonce, and the ciphertext of a JSON array: the
fields' salts, then their values. Words (an update's, a submission's...) are compressed before
they are encrypted (`deflated`: a NUL byte, then the array's raw DEFLATE; a person's name, a few
bytes, is not), so the box is about half the size of the words' JSON; boxes sealed before that
hold the array as it is, and read as before (`inflated`). No hash covers a ciphertext or the envelopes;
`commitments_in_boxes` reads the commitments without keys, and finds boxes cut short or padded.
Earlier layouts read as before (`envelope_parts`): envelopes as objects (`{"key", "fields",
"size"}`), and, before boxes, `{"commitment": hex}` in place of each field and the nonce and
ciphertext in the envelope, in base64 (`nonce`, `data`). The associated data (`bound_prefix`)
binds a ciphertext to its event (topic, story, version, key id), so it cannot be moved to another.
"""

from __future__ import annotations

import binascii
import zlib
from typing import Any

from domain.chain import COMMITMENT, SEALED_FIELD

BOXES = b"\x00"
"""Between a sealed event's JSON and its envelopes' boxes (`split_boxes`)."""
NONCE_BYTES = 12
COMMITMENT_BYTES = 32
"""A commitment (SHA-256) as a box holds it; the chain covers it as hex (`chain.commitment`)."""
SEALED_MARK = b'"' + SEALED_FIELD.encode() + b'"'
"""In a stored state's JSON only if the event was stored sealed: a reader skips the rest unparsed."""


DEFLATED = b"\x00"
"""Leads a box's plaintext that is its JSON array compressed (`deflated`); a JSON array starts `[`."""
INFLATED_MAX = 4 * 1024 * 1024
"""The most a deflated box may hold: many times the largest words a post may have (a body of
50,000 characters is at most ~300 KB as JSON); more is damage, read as erased (`inflated`)."""


def deflated(plain: bytes) -> bytes:
    """`plain` (a box's JSON array) compressed, marked `DEFLATED`. A 2 KB window and the best
    compression: an update's words are a few KB, and this costs a quarter of zlib's defaults."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -11, 4)
    return DEFLATED + packer.compress(plain) + packer.flush()


def inflated(plain: bytes) -> bytes | None:
    """A box's opened plaintext as its JSON array: `deflated`'s undone, or as it is if it was
    sealed uncompressed; None if it does not inflate whole within `INFLATED_MAX` (damaged)."""
    if plain[:1] != DEFLATED:
        return plain
    unpacker = zlib.decompressobj(-15)
    try:
        data = unpacker.decompress(memoryview(plain)[1:], INFLATED_MAX + 1)
    except zlib.error:
        return None
    if not unpacker.eof or unpacker.unused_data or len(data) > INFLATED_MAX:
        return None
    return data


def split_boxes(data: bytes) -> tuple[bytes, bytes]:
    """A stored state's JSON and the boxes after it (none for an event stored without them)."""
    head, _, boxes = data.partition(BOXES)
    return head, boxes


class BoxesMisfit(ValueError):
    """The boxes after a sealed event's JSON are not as its envelopes say."""


def commitments_in_boxes(envelopes: Any, boxes: bytes) -> dict[str, dict[str, str]]:
    """Each sealed field's commitment (`{"commitment": hex}`, as the chain covers it), read from
    the boxes without keys; none for an event sealed before boxes (its JSON holds them). Raises
    `BoxesMisfit` if the boxes are not exactly as long as the envelopes say: no hash covers a
    ciphertext, but a box cut short or padded is damage an auditor can see without the keys."""
    found: dict[str, dict[str, str]] = {}
    end = 0
    try:
        for envelope in envelopes or ():
            _, fields, size = envelope_parts(envelope)
            if size is None:
                continue
            start, end = end, end + size
            sealed_at = start + len(fields) * COMMITMENT_BYTES
            if sealed_at + NONCE_BYTES > min(end, len(boxes)):
                raise BoxesMisfit("a sealed envelope's box is shorter than its commitments and nonce")
            found.update(commitments_at_head(fields, boxes[start:sealed_at]))
    except BoxesMisfit:
        raise
    except (AttributeError, TypeError, KeyError, ValueError) as error:  # ValueError: an array's length
        raise BoxesMisfit("its sealed envelopes are not a list of key ids, fields and sizes") from error
    if end != len(boxes):
        raise BoxesMisfit(f"its sealed words are {len(boxes)} bytes where its envelopes say {end}")
    return found


def envelope_parts(envelope: Any) -> tuple[str, list[str], int | None]:
    """A sealed event's envelope as its key id, its fields and the size of its box (None: sealed
    before boxes, its nonce and ciphertext in base64 in the envelope), whichever layout it has."""
    if type(envelope) is list:
        key_id, fields, size = envelope
        return key_id, fields, size
    return envelope["key"], envelope["fields"], envelope.get("size")  # sealed before envelopes were arrays


def commitments_at_head(fields: list[str], data: bytes | memoryview) -> dict[str, dict[str, str]]:
    """`fields`' commitments, stored as `COMMITMENT_BYTES` each, in order, at the head of a box."""
    if len(fields) == 1:  # a name's box, the usual case: no comprehension to run
        return {fields[0]: {COMMITMENT: data[:COMMITMENT_BYTES].hex()}}
    return {
        name: {COMMITMENT: data[i * COMMITMENT_BYTES : (i + 1) * COMMITMENT_BYTES].hex()}
        for i, name in enumerate(fields)
    }


def as_boxed(pairs: Any, fields: list[str]) -> list[Any] | None:
    """What an envelope sealed before boxes holds (each field's `[salt, value]`) as a box holds
    it (the salts, then the values); None if a field is missing (its envelope was altered)."""
    try:
        return [[pairs[name][0] for name in fields], *(pairs[name][1] for name in fields)]
    except (KeyError, IndexError, TypeError):
        return None


def box_of_base64(envelope: dict[str, Any]) -> bytes | None:
    """The box of an envelope sealed before boxes: its nonce and ciphertext were base64 in the JSON."""
    try:
        return binascii.a2b_base64(envelope["nonce"]) + binascii.a2b_base64(envelope["data"])
    except binascii.Error:
        return None  # damaged: as good as erased


def bound_prefix(topic: str, story_id: Any, version: int) -> str:
    """The associated data that ties a ciphertext to its event, but for the key id that ends it
    (an event's envelopes share the rest): `topic`, story, version and key id, a line each."""
    return f"{topic}\n{story_id}\n{version}\n"
