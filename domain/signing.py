"""Authorship: the staff's own SSH keys, as the roster records them, and what a key proves.

A member's key is an Ed25519 public key in OpenSSH's one-line form (`ssh-ed25519 AAAA...`). The
roster keeps the type and the key blob, never the comment (often an e-mail address: personal, and
no part of the key). A key is known by its fingerprint, computed as `ssh-keygen -l` does: SHA-256
of the key blob, base64 without padding, after `SHA256:`. No I/O here: reading a key file, the
agent and signature bytes are the infrastructure's (`infrastructure/signing_keys.py`,
`signers.py`, `sshsig.py`).

Once a store signs (`Signatures`, created with the first key registered), every command's story
and roster events are signed before they are saved by one of the acting member's current keys
(`signing_key`, `SigningAs`): the signature is of the event's hash, under the store's namespace.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import uuid5

from eventsourcing.domain import Aggregate

from domain.chain import SIGNATURE_FIELD
from domain.errors import InvalidInput, KeyNotTheirs, KeyTypeNotAccepted, NoSigningKey
from domain.staff_card import STAFF_NAMESPACE

ED25519 = "ssh-ed25519"
"""The one key type the newsroom accepts: small, fast, deterministic, what `ssh-keygen` makes by
default."""
_SSH_KEY_TYPES = ("ssh-", "ecdsa-", "sk-")
"""How OpenSSH's key types begin: another is no key at all, not a key of the wrong type."""
PUBLIC_KEY_MAX = 1024
"""A public key line longer than this is no Ed25519 key (one is about 100 characters)."""


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key as OpenSSH writes it: its type and the base64 of its blob."""

    blob: bytes
    """The SSH wire encoding: string "ssh-ed25519", string of 32 bytes (RFC 8709)."""

    @classmethod
    def parse(cls, line: str) -> PublicKey:
        """The key in `line` (`TYPE BASE64 [COMMENT]`, as in an `.pub` file); any other key type
        is refused (`KeyTypeNotAccepted`), as is anything that is not a key."""
        parts = line.strip().split()
        if len(line) > PUBLIC_KEY_MAX or len(parts) < 2:
            raise InvalidInput("not an OpenSSH public key (TYPE BASE64 [COMMENT] on one line)")
        key_type, encoded = parts[0], parts[1]
        if key_type != ED25519:
            if not key_type.startswith(_SSH_KEY_TYPES):
                raise InvalidInput("not an OpenSSH public key (TYPE BASE64 [COMMENT] on one line)")
            raise KeyTypeNotAccepted(key_type)
        try:
            blob = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("not an OpenSSH public key: its key is not base64") from None
        if not _is_ed25519_blob(blob):
            raise InvalidInput("not an Ed25519 public key: its key blob is malformed")
        return cls(blob)

    @property
    def raw(self) -> bytes:
        """The 32 bytes of the Ed25519 key."""
        return self.blob[-32:]

    @property
    def fingerprint(self) -> str:
        """`SHA256:...` exactly as `ssh-keygen -lf` prints it."""
        digest = hashlib.sha256(self.blob).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")

    @property
    def openssh(self) -> str:
        """The one-line form without a comment: `ssh-ed25519 AAAA...`."""
        return f"{ED25519} {base64.b64encode(self.blob).decode('ascii')}"

    def __str__(self) -> str:
        return self.openssh


def _is_ed25519_blob(blob: bytes) -> bool:
    strings = _wire_strings(blob)
    return (
        strings is not None
        and [len(s) for s in strings] == [len(ED25519), 32]
        and strings[0] == ED25519.encode()
    )


def _wire_strings(blob: bytes) -> list[bytes] | None:
    """`blob` read as SSH wire strings (uint32 length, bytes), or None if it is not that."""
    strings, at = [], 0
    while at < len(blob):
        if at + 4 > len(blob):
            return None
        (length,) = struct.unpack(">I", blob[at : at + 4])
        at += 4
        if at + length > len(blob):
            return None
        strings.append(blob[at : at + length])
        at += length
    return strings


@dataclass(frozen=True)
class StaffKey:
    """A key on the roster: whose, and the roster versions it was valid from and until.

    Valid at roster version `v` when `registered <= v` and (`revoked` is None or `v < revoked`).
    `member` reads "[erased]" once the person is erased; the key itself stays, so what they signed
    still verifies.
    """

    fingerprint: str
    public_key: str
    member: str
    registered: int
    revoked: int | None

    def valid_at(self, version: int) -> bool:
        """Whether the key was the member's at roster version `version`."""
        return self.registered <= version and (self.revoked is None or version < self.revoked)


class Signer(Protocol):
    """Where a member's private keys are (a key file, the ssh-agent: `infrastructure.signers`)."""

    def public_keys(self) -> tuple[PublicKey, ...]:
        """The keys it can sign with."""
        ...

    def sign(self, key: PublicKey, message: bytes, namespace: str) -> bytes:
        """The OpenSSH signature (PROTOCOL.sshsig) by `key` of `message` under `namespace`."""
        ...


def namespace_for(store_id: str) -> str:
    """What a store's signatures are made under (`ssh-keygen -Y ... -n`): a signature copied from
    another store does not verify here."""
    return f"newsroom:{store_id}"


def signed_message(event_hash: str) -> bytes:
    """What a signature signs: the event's hash (hex), which covers the event and its chain link."""
    return event_hash.encode("ascii")


class Signatures(Aggregate):
    """That the store signs, from when, and under which namespace (one row, asked by every command).

    Created in the same write as the roster change that registers the first key: from that change
    on, every story and roster event is signed by its author's key (`signing_key`).
    """

    ID = uuid5(STAFF_NAMESPACE, "signatures")

    class Began(Aggregate.Created):
        store_id: str
        roster_version: int
        roster_last: int

    def __init__(self, store_id: str, roster_version: int, roster_last: int) -> None:
        self.store_id = store_id
        self.roster_version = roster_version
        """The roster's first signed event: the change that registered the store's first key..."""
        self.roster_last = roster_last
        """...which ends here. Its maker signs it with a key that change leaves them (the root)."""

    @classmethod
    def begin(cls, store_id: str, versions: tuple[int, int], at: datetime) -> Signatures:
        """`versions`: the first and last roster versions of the change that begins signing."""
        began = {"store_id": store_id, "roster_version": versions[0], "roster_last": versions[1]}
        return cls._create(cls.Began, id=cls.ID, timestamp=at, **began)

    @property
    def namespace(self) -> str:
        return namespace_for(self.store_id)


@dataclass(frozen=True)
class SigningAs:
    """The key a command's events are signed with, and the store's namespace."""

    signer: Signer
    key: PublicKey
    namespace: str

    def sign(self, event: Any) -> None:
        """Gives `event` (made, not yet saved) its signature: of its hash, so of its chain link too."""
        blob = self.signer.sign(self.key, signed_message(event.hash), self.namespace)
        object.__setattr__(event, SIGNATURE_FIELD, base64.b64encode(blob).decode("ascii"))


def signing_key(signer: Signer | None, name: str, current: Iterable[str]) -> PublicKey:
    """The first of `signer`'s keys that is one of `name`'s `current` keys (fingerprints), or the
    refusal: no key at all (`NoSigningKey`), or none of theirs (`KeyNotTheirs`)."""
    if signer is None:
        raise NoSigningKey(name)
    held = frozenset(current)
    offered = signer.public_keys()
    for key in offered:
        if key.fingerprint in held:
            return key
    if not offered:
        raise NoSigningKey(name)
    raise KeyNotTheirs(tuple(k.fingerprint for k in offered), name)


_SIGNING: ContextVar[SigningAs | None] = ContextVar("signing as", default=None)


def sign_as(signing: SigningAs | None) -> None:
    """From now until the command ends (`domain.commands`: each runs in its own context), the
    events it saves are signed so."""
    _SIGNING.set(signing)


def signing_now() -> SigningAs | None:
    """How the command being made signs its events (None: the store does not sign)."""
    return _SIGNING.get()


class SignerSources(Protocol):
    """Where the process finds the keys it signs with, asked only on a store that signs."""

    def member(self) -> Signer | None:
        """The acting member's keys: a key file, else the ssh-agent (None: neither)."""
        ...

    def system(self) -> Signer | None:
        """The system identity's key, which the publisher signs with (None: none configured)."""
        ...
