"""Real OpenSSH keys for tests: made by `ssh-keygen -t ed25519 -N ''`, once per test run, in a
temporary folder (`tests/conftest.py`: the `ssh_keys` fixture)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


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
