"""OpenSSH signatures (PROTOCOL.sshsig): what `ssh-keygen -Y sign` writes and `ssh-keygen -Y verify`
checks, made and checked here with `cryptography`'s Ed25519 (no primitive of our own).

    signed data = "SSHSIG" string(namespace) string(reserved) string(hash algorithm) string(H(message))
    signature   = "SSHSIG" uint32(1) string(public key) string(namespace) string(reserved)
                  string(hash algorithm) string(string("ssh-ed25519") string(64-byte signature))

The armoured form wraps the base64 of the signature between `-----BEGIN SSH SIGNATURE-----` and
`-----END SSH SIGNATURE-----`, as `ssh-keygen` writes a `.sig` file.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.signing import ED25519, PublicKey

MAGIC = b"SSHSIG"
VERSION = 1
HASH_ALGORITHM = "sha512"
"""What `ssh-keygen -Y sign` uses by default; `verify` accepts sha256 too."""
_HASHES = {"sha512": hashlib.sha512, "sha256": hashlib.sha256}
ARMOUR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
ARMOUR_END = "-----END SSH SIGNATURE-----"
ARMOUR_WIDTH = 70
RawSign = Callable[[bytes], bytes]
"""Signs the bytes it is given with an Ed25519 private key: the 64-byte signature (a key file's),
or the SSH signature encoding (the agent's: string type, string signature); see `sign`."""


class BadSignature(ValueError):
    """Bytes that are no valid OpenSSH signature of the message under the namespace."""


def string(data: bytes) -> bytes:
    """SSH wire `string`: uint32 length, then the bytes."""
    return struct.pack(">I", len(data)) + data


def signed_data(message: bytes, namespace: str, hash_algorithm: str = HASH_ALGORITHM) -> bytes:
    """What the key actually signs for `message` under `namespace`."""
    digest = _HASHES[hash_algorithm](message).digest()
    return MAGIC + string(namespace.encode()) + string(b"") + string(hash_algorithm.encode()) + string(digest)


def ed25519_signature(raw: bytes) -> bytes:
    """The SSH encoding of a 64-byte Ed25519 signature."""
    return string(ED25519.encode()) + string(raw)


def envelope(
    key: PublicKey, namespace: str, ssh_signature: bytes, hash_algorithm: str = HASH_ALGORITHM
) -> bytes:
    """The signature blob: the key, the namespace and the SSH-encoded signature."""
    return (
        MAGIC + struct.pack(">I", VERSION) + string(key.blob) + string(namespace.encode()) + string(b"")
        + string(hash_algorithm.encode()) + string(ssh_signature)
    )  # fmt: skip


@dataclass(frozen=True)
class Signature:
    """An OpenSSH signature read back: who signed (the key), under which namespace, and the rest."""

    key: PublicKey
    namespace: str
    hash_algorithm: str
    raw: bytes
    """The 64-byte Ed25519 signature."""

    @classmethod
    def parse(cls, blob: bytes) -> Signature:
        """The signature in `blob`, or BadSignature if it is not one (of an Ed25519 key)."""
        if not blob.startswith(MAGIC):
            raise BadSignature("not an SSHSIG signature")
        reader = _Reader(blob[len(MAGIC) :])
        if reader.uint32() != VERSION:
            raise BadSignature("an SSHSIG signature of another version")
        key_blob, namespace, _reserved, algorithm, encoded = (reader.string() for _ in range(5))
        reader.end()
        inner = _Reader(encoded)
        sig_type, raw = inner.string(), inner.string()
        inner.end()
        key = _public_key(key_blob)
        if sig_type != ED25519.encode() or len(raw) != 64 or algorithm.decode() not in _HASHES:
            raise BadSignature("not an Ed25519 signature")
        return cls(key, namespace.decode(), algorithm.decode(), raw)

    def verifies(self, message: bytes, namespace: str) -> bool:
        """Whether this is the key's signature of `message` under `namespace`."""
        from cryptography.exceptions import InvalidSignature

        if self.namespace != namespace:
            return False
        try:
            _verifier(self.key.raw).verify(self.raw, signed_data(message, namespace, self.hash_algorithm))
        except InvalidSignature:
            return False
        return True


@functools.lru_cache(maxsize=256)
def _public_key(blob: bytes) -> PublicKey:
    """The key a signature names (a store's staff sign with a few keys, each read once)."""
    try:
        return PublicKey.parse(f"{ED25519} {base64.b64encode(blob).decode()}")
    except ValueError:
        raise BadSignature("not signed by an Ed25519 key") from None


@functools.lru_cache(maxsize=256)
def _verifier(raw: bytes) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(raw)


def sign(key: PublicKey, message: bytes, namespace: str, raw_sign: RawSign) -> bytes:
    """The SSHSIG blob of `key`'s signature of `message` under `namespace`; `raw_sign` signs the
    signed data with the private half (`ed25519_signature` wraps a bare 64-byte one)."""
    signature = raw_sign(signed_data(message, namespace))
    if len(signature) == 64:
        signature = ed25519_signature(signature)
    return envelope(key, namespace, signature)


def armoured(blob: bytes) -> str:
    """`blob` as `ssh-keygen -Y sign` writes a `.sig` file."""
    text = base64.b64encode(blob).decode("ascii")
    lines = [text[i : i + ARMOUR_WIDTH] for i in range(0, len(text), ARMOUR_WIDTH)]
    return "\n".join([ARMOUR_BEGIN, *lines, ARMOUR_END]) + "\n"


def dearmoured(text: str) -> bytes:
    """The blob inside an armoured signature."""
    body = text.strip()
    if not (body.startswith(ARMOUR_BEGIN) and body.endswith(ARMOUR_END)):
        raise BadSignature("not an armoured SSH signature")
    try:
        return base64.b64decode("".join(body[len(ARMOUR_BEGIN) : -len(ARMOUR_END)].split()), validate=True)
    except binascii.Error:
        raise BadSignature("an armoured SSH signature whose base64 is broken") from None


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def uint32(self) -> int:
        if self.at + 4 > len(self.data):
            raise BadSignature("a truncated SSHSIG signature")
        (value,) = struct.unpack(">I", self.data[self.at : self.at + 4])
        self.at += 4
        return int(value)

    def string(self) -> bytes:
        length = self.uint32()
        if self.at + length > len(self.data):
            raise BadSignature("a truncated SSHSIG signature")
        value = self.data[self.at : self.at + length]
        self.at += length
        return value

    def end(self) -> None:
        if self.at != len(self.data):
            raise BadSignature("bytes after an SSHSIG signature's end")


def signed_by(event: object) -> str | None:
    """The fingerprint of the key `event`'s stored signature names (None: unsigned, or no
    signature at all): who it claims signed it; `audit verify` says whether it holds."""
    encoded = vars(event).get("signature")
    if not encoded:
        return None
    try:
        return Signature.parse(base64.b64decode(encoded, validate=True)).key.fingerprint
    except (BadSignature, binascii.Error, ValueError):
        return "(not a signature)"
