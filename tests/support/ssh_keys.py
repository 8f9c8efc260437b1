"""Real OpenSSH keys for tests: made by `ssh-keygen -t ed25519 -N ''`, once per test run, in a
temporary folder (`tests/conftest.py`: the `ssh_keys` fixture)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class KeyPair:
    """One key made by ssh-keygen: its files and its public line."""

    private: Path
    public: Path

    @property
    def line(self) -> str:
        """The public key file's line (`ssh-ed25519 AAAA... comment`)."""
        return self.public.read_text(encoding="ascii").strip()

    @property
    def openssh(self) -> str:
        """The public key without its comment, as the roster keeps it."""
        return " ".join(self.line.split()[:2])


class KeyShelf:
    """Keys by name, each made the first time it is asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[str, KeyPair] = {}

    @classmethod
    def kept(cls, folder: Path) -> KeyShelf:
        """The Ed25519 keys kept in `folder` (`NAME_ed25519` and its `.pub`), each one made there
        the first time it is asked for and read back ever after."""
        shelf = cls(folder)
        for public in sorted(folder.glob("*_ed25519.pub")):
            private = public.with_suffix("")
            shelf._made[private.name.removesuffix("_ed25519")] = KeyPair(private, public)
        return shelf

    def pairs(self) -> list[KeyPair]:
        """Every key made (or kept) so far."""
        return list(self._made.values())

    def __call__(self, name: str, key_type: str = "ed25519") -> KeyPair:
        if name not in self._made:
            if shutil.which("ssh-keygen") is None:
                raise RuntimeError("ssh-keygen is missing: install Debian's openssh-client")
            private = self.folder / f"{name}_{key_type}"
            comment = f"{name}@newsroom.test"
            made = ["ssh-keygen", "-q", "-t", key_type, "-N", "", "-C", comment, "-f", str(private)]
            subprocess.run(made, check=True, timeout=60, stdin=subprocess.DEVNULL)
            self._made[name] = KeyPair(private, private.with_name(private.name + ".pub"))
        return self._made[name]


class ShelfSigner:
    """Signs with any Ed25519 key the shelf has made, as an ssh-agent holding all of them would:
    the application picks the acting member's own (`domain.signing.signing_key`)."""

    def __init__(self, shelf: KeyShelf, only: tuple[str, ...] | None = None) -> None:
        self.shelf, self.only = shelf, only
        self._signers: dict[Path, Any] = {}

    def _all(self) -> list[Any]:
        from infrastructure.signers import KeyFileSigner

        pairs = [
            pair for name, pair in self.shelf._made.items()
            if pair.line.startswith("ssh-ed25519 ") and (self.only is None or name in self.only)
        ]  # fmt: skip
        for pair in pairs:
            if pair.private not in self._signers:
                self._signers[pair.private] = KeyFileSigner(str(pair.private))
        return [self._signers[pair.private] for pair in pairs]

    def public_keys(self) -> tuple[Any, ...]:
        return tuple(signer.public_keys()[0] for signer in self._all())

    def sign(self, key: Any, message: bytes, namespace: str) -> bytes:
        (signer,) = [s for s in self._all() if s.public_keys()[0] == key]
        return signer.sign(key, message, namespace)


@dataclass
class ShelfSigners:
    """`domain.signing.SignerSources` for tests: every member's keys, and the system's."""

    member_signer: ShelfSigner | None
    system_signer: ShelfSigner | None = None

    def member(self) -> ShelfSigner | None:
        return self.member_signer

    def system(self) -> ShelfSigner | None:
        return self.system_signer


def signing_with(app: Any, shelf: KeyShelf, *names: str) -> Any:
    """`app`, signing from now on with the keys `names` (none named: every key the shelf made)."""
    app.signers = ShelfSigners(ShelfSigner(shelf, names or None), ShelfSigner(shelf, names or None))
    return app
