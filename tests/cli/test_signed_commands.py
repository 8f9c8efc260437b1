"""On a store that signs, through the real CLI: `--as` without that member's key is refused in one
line naming the key and the member, and nothing is recorded; `--key` and NEWSROOM_SIGNING_KEY sign."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Run, events_of
from tests.support.ssh_keys import KeyShelf

SLUG = "syria-talks"


def fingerprint(ssh_keys: KeyShelf, name: str) -> str:
    from domain.signing import PublicKey

    return PublicKey.parse(ssh_keys(name).line).fingerprint


@pytest.fixture
def signing(run: Run, ssh_keys: KeyShelf) -> None:
    ann = ("--key", str(ssh_keys("ann").private), "--as", "ann")
    for name, role in (("ann", "admin"), ("ed", "editor"), ("cat", "contributor")):
        added = run(*ann, "staff", "add", name, "--role", role, "--key", str(ssh_keys(name).public))
        assert added.exit_code == 0, added.output
    opened = run(
        "--key", str(ssh_keys("ed").private), "--as", "ed", "story", "open", SLUG, "--headline", "Talks"
    )
    assert opened.exit_code == 0, opened.output


def test_a_contributor_cannot_act_as_an_editor_with_her_own_key(
    run: Run, signing: None, ssh_keys: KeyShelf
) -> None:
    before = events_of(run, SLUG)

    result = run(
        "--key",
        str(ssh_keys("cat").private),
        "--as",
        "ed",
        "update",
        "post",
        SLUG,
        "--title",
        "T",
        "--body",
        "B",
    )

    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: key {fingerprint(ssh_keys, 'cat')} is not one of ed's current keys: nothing was recorded; "
        "`newsroom staff list` shows each member's keys\n",
    )
    assert events_of(run, SLUG) == before


def test_nor_make_herself_an_admin(run: Run, signing: None, ssh_keys: KeyShelf) -> None:
    before = run("staff", "history").stdout

    result = run(
        "--key", str(ssh_keys("cat").private), "--as", "ann", "staff", "add", "mallory", "--role", "admin"
    )

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: key {fingerprint(ssh_keys, 'cat')} is not one of ann's current keys"
    )
    assert run("staff", "history").stdout == before


def test_as_without_a_key_is_refused_and_nothing_is_recorded(
    run: Run, signing: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    monkeypatch.delenv("NEWSROOM_SIGNING_KEY", raising=False)
    before = events_of(run, SLUG)

    result = run("--as", "ed", "update", "post", SLUG, "--title", "T", "--body", "B")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: this store signs every change, and no key was given to sign ed's with: pass --key FILE "
        "(their Ed25519 private key), set NEWSROOM_SIGNING_KEY, or add the key to the ssh-agent (`ssh-add`); "
        "nothing was recorded\n"
    )
    assert events_of(run, SLUG) == before


def test_a_signing_key_that_cannot_be_read_is_refused_in_one_line(
    run: Run, signing: None, tmp_path: Path
) -> None:
    result = run("--key", str(tmp_path / "nowhere"), "--as", "ed", "story", "publish", SLUG)

    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: cannot sign with {tmp_path / 'nowhere'}: No such file or directory\n",
    )


def test_the_signing_key_from_the_environment_signs_in_a_real_process(
    sqlite_url: str, signing: None, ssh_keys: KeyShelf
) -> None:
    env = {**os.environ, "NEWSROOM_DB": sqlite_url, "NEWSROOM_SIGNING_KEY": str(ssh_keys("ed").private)}
    env.pop("SSH_AUTH_SOCK", None)

    done = subprocess.run(
        [sys.executable, "-m", "cli", "--as", "ed", "story", "publish", SLUG],
        env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    listed = subprocess.run(
        [sys.executable, "-m", "cli", "events", SLUG, "--format", "json"],
        env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert [("signature" in e["data"]) for e in json.loads(listed.stdout)] == [True, True]
