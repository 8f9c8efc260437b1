"""Where a member's private key is: a key file (`--key FILE`, `NEWSROOM_SIGNING_KEY`) or the running
ssh-agent (`SSH_AUTH_SOCK`), the way git finds one. Each is a `domain.signing.Signer`: its public
keys, and an OpenSSH signature (`infrastructure.sshsig`) by one of them.

The agent is spoken to with its small documented protocol (draft-miller-ssh-agent): list the
identities (11 -> 12), sign (13 -> 14); one round trip per signature.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.errors import NewsroomError
from domain.signing import ED25519, PublicKey

if TYPE_CHECKING:
    import socket

# `infrastructure.sshsig`, `socket` and the key file's reading are imported where used: a write on
# a store that does not sign builds `Signers` and never asks it for a key.

PRIVATE_KEY_MAX = 16 * 1024
"""An OpenSSH Ed25519 private key file is about 400 bytes."""
AGENT_ANSWER_MAX = 256 * 1024
AGENT_WAIT = 120.0
"""Seconds an agent may take to answer (one asking its holder to confirm takes a while)."""
_REQUEST_IDENTITIES, _IDENTITIES_ANSWER, _SIGN_REQUEST, _SIGN_RESPONSE = 11, 12, 13, 14


class SigningKeyUnusable(NewsroomError):
    """The private key named for signing cannot be used: unreadable, not Ed25519, or locked."""

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"cannot sign with {where}: {reason}")


@dataclass
class KeyFileSigner:
    """An unencrypted OpenSSH Ed25519 private key file."""

    path: str
    _private: Any = field(init=False, repr=False)
    _public: PublicKey = field(init=False)

    def __post_init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_ssh_private_key

        from infrastructure.bounded_read import read_file_at_most

        try:
            data = read_file_at_most(self.path, PRIVATE_KEY_MAX, f"the key file {self.path}")
        except OSError as error:
            raise SigningKeyUnusable(self.path, error.strerror or str(error)) from None
        try:
            private = load_ssh_private_key(data, password=None)
        except TypeError:
            raise SigningKeyUnusable(self.path, "it is protected by a passphrase") from None
        except ValueError:
            raise SigningKeyUnusable(self.path, "it is not an OpenSSH private key") from None
        if not isinstance(private, Ed25519PrivateKey):
            raise SigningKeyUnusable(self.path, "it is not an Ed25519 key")
        self._private = private
        line = private.public_key().public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode("ascii")
        self._public = PublicKey.parse(line)

    def public_keys(self) -> tuple[PublicKey, ...]:
        return (self._public,)

    def sign(self, key: PublicKey, message: bytes, namespace: str) -> bytes:
        from infrastructure import sshsig

        assert key == self._public, "a key file signs with its own key"
        return sshsig.sign(key, message, namespace, self._private.sign)


@dataclass
class AgentSigner:
    """The ssh-agent listening on the socket `path`: its Ed25519 identities."""

    path: str

    def public_keys(self) -> tuple[PublicKey, ...]:
        reader = _Answer(self._ask(bytes([_REQUEST_IDENTITIES]), _IDENTITIES_ANSWER))
        keys = []
        for _ in range(reader.uint32()):
            blob, _comment = reader.string(), reader.string()
            if blob.startswith(_string(ED25519.encode())):
                keys.append(PublicKey(blob))
        return tuple(keys)

    def sign(self, key: PublicKey, message: bytes, namespace: str) -> bytes:
        from infrastructure import sshsig

        def by_agent(data: bytes) -> bytes:
            request = bytes([_SIGN_REQUEST]) + _string(key.blob) + _string(data) + struct.pack(">I", 0)
            return _Answer(self._ask(request, _SIGN_RESPONSE)).string()

        return sshsig.sign(key, message, namespace, by_agent)

    def _ask(self, request: bytes, answer_type: int) -> bytes:
        import socket

        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as agent:
                agent.settimeout(AGENT_WAIT)
                agent.connect(self.path)
                agent.sendall(struct.pack(">I", len(request)) + request)
                (length,) = struct.unpack(">I", _read_exactly(agent, 4))
                if length > AGENT_ANSWER_MAX:
                    raise SigningKeyUnusable("the ssh-agent", f"it answered with {length:,} bytes")
                answer = _read_exactly(agent, length)
        except OSError as error:
            raise SigningKeyUnusable(f"the ssh-agent at {self.path}", error.strerror or str(error)) from None
        if not answer or answer[0] != answer_type:
            raise SigningKeyUnusable("the ssh-agent", "it refused (is the key still added? `ssh-add -l`)")
        return answer[1:]


def _string(data: bytes) -> bytes:
    """SSH wire `string`: uint32 length, then the bytes."""
    return struct.pack(">I", len(data)) + data


def _read_exactly(agent: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = agent.recv(size - len(data))
        if not chunk:
            raise OSError("the agent closed the connection")
        data += chunk
    return bytes(data)


class _Answer:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def uint32(self) -> int:
        if self.at + 4 > len(self.data):
            raise SigningKeyUnusable("the ssh-agent", "its answer was cut short")
        (value,) = struct.unpack(">I", self.data[self.at : self.at + 4])
        self.at += 4
        return int(value)

    def string(self) -> bytes:
        length = self.uint32()
        if self.at + length > len(self.data):
            raise SigningKeyUnusable("the ssh-agent", "its answer was cut short")
        value = self.data[self.at : self.at + length]
        self.at += length
        return value


def signer_for(key_file: str | Path | None, agent_socket: str | None) -> KeyFileSigner | AgentSigner | None:
    """The key file if one is named, else the agent if one runs, else None (nothing to sign with)."""
    if key_file:
        return KeyFileSigner(str(key_file))
    if agent_socket:
        return AgentSigner(agent_socket)
    return None


SIGNING_KEY_VAR = "NEWSROOM_SIGNING_KEY"
SYSTEM_KEY_VAR = "NEWSROOM_SYSTEM_KEY"
AGENT_VAR = "SSH_AUTH_SOCK"


@dataclass
class Signers:
    """The process's signers (`domain.signing.SignerSources`), found as git finds a signing key:
    `key_file` (`--key`), else `NEWSROOM_SIGNING_KEY`, else the ssh-agent at `SSH_AUTH_SOCK`; the
    publisher's is `NEWSROOM_SYSTEM_KEY`. Each is opened when first asked for, on a store that signs."""

    key_file: str | None = None
    _member: KeyFileSigner | AgentSigner | None = field(default=None, init=False, repr=False)
    _system: KeyFileSigner | None = field(default=None, init=False, repr=False)

    def member(self) -> KeyFileSigner | AgentSigner | None:
        if self._member is None:
            import os

            self._member = signer_for(
                self.key_file or os.environ.get(SIGNING_KEY_VAR), os.environ.get(AGENT_VAR)
            )
        return self._member

    def system(self) -> KeyFileSigner | None:
        if self._system is None:
            import os

            path = os.environ.get(SYSTEM_KEY_VAR)
            self._system = KeyFileSigner(path) if path else None
        return self._system
