"""Key files: an OpenSSH public key file read (bounded) into the roster's `PublicKey`, checked by
`cryptography`'s OpenSSH loader as well as by the domain's reading of its blob."""

from __future__ import annotations

from pathlib import Path

from domain.errors import InvalidInput, NewsroomError
from domain.signing import PUBLIC_KEY_MAX, PublicKey
from infrastructure.bounded_read import read_file_at_most


class KeyFileUnreadable(NewsroomError):
    """A key file named on the command line cannot be read."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"cannot read the key file {path}: {reason}")


def read_public_key(path: Path | str) -> PublicKey:
    """The Ed25519 public key in the OpenSSH `.pub` file at `path` (its comment left out)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_ssh_public_key

    try:
        data = read_file_at_most(path, PUBLIC_KEY_MAX, f"the public key file {path}")
    except OSError as error:
        raise KeyFileUnreadable(str(path), error.strerror or str(error)) from None
    if data.lstrip().startswith(b"-----BEGIN"):
        raise InvalidInput(f"{path} is a private key: give the public one ({path}.pub)")
    try:
        line = data.decode("ascii").strip()
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not an OpenSSH public key (a .pub file)") from None
    key = PublicKey.parse(line)  # the type is refused first, in the newsroom's words
    try:
        loaded = load_ssh_public_key(line.encode("ascii"))
    except (ValueError, TypeError):
        raise InvalidInput(f"{path} is not an OpenSSH public key (a .pub file)") from None
    if not isinstance(loaded, Ed25519PublicKey) or loaded.public_bytes_raw() != key.raw:
        raise InvalidInput(f"{path} is not an Ed25519 public key")
    return key
