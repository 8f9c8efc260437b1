"""`history`, `log` and `editors` show who signed each change: the key's fingerprint beside the
name on a store that signs, and nothing more on one that does not."""

from __future__ import annotations

import json

import pytest

from domain.signing import PublicKey
from tests.cli.conftest import Run
from tests.support.ssh_keys import KeyShelf

SLUG = "syria-talks"


def fingerprint(ssh_keys: KeyShelf, name: str) -> str:
    return PublicKey.parse(ssh_keys(name).line).fingerprint


@pytest.fixture
def signing(run: Run, ssh_keys: KeyShelf) -> None:
    ann = ("--key", str(ssh_keys("ann").private), "--as", "ann")
    assert (
        run(*ann, "staff", "add", "ann", "--role", "admin", "--key", str(ssh_keys("ann").public)).exit_code
        == 0
    )
    assert (
        run(*ann, "staff", "add", "ed", "--role", "editor", "--key", str(ssh_keys("ed").public)).exit_code
        == 0
    )
    assert run(*ann, "staff", "key", "add", "ed", str(ssh_keys("ed-laptop").public)).exit_code == 0
    for key, args in (
        ("ed", ("story", "open", SLUG, "--headline", "Talks")),
        ("ed-laptop", ("update", "post", SLUG, "--title", "T", "--body", "B")),
    ):
        assert run("--key", str(ssh_keys(key).private), "--as", "ed", *args).exit_code == 0


def test_the_log_shows_the_signer_beside_the_name(run: Run, signing: None, ssh_keys: KeyShelf) -> None:
    lines = run("log").stdout.splitlines()
    entries = json.loads(run("log", "--format", "json").stdout)

    assert f"ed [{fingerprint(ssh_keys, 'ed')}]: Story opened" in lines[0]
    assert f"ed [{fingerprint(ssh_keys, 'ed-laptop')}]: Update 1 posted" in lines[1]
    assert [e["signed_by"] for e in entries] == [
        fingerprint(ssh_keys, "ed"),
        fingerprint(ssh_keys, "ed-laptop"),
    ]


def test_editors_lists_the_keys_each_person_used(run: Run, signing: None, ssh_keys: KeyShelf) -> None:
    (ed,) = json.loads(run("editors", "--format", "json").stdout)

    assert ed["keys"] == [fingerprint(ssh_keys, "ed"), fingerprint(ssh_keys, "ed-laptop")]
    assert f"    signed with key {fingerprint(ssh_keys, 'ed-laptop')}" in run("editors").stdout


def test_the_history_shows_the_signer_beside_the_name(run: Run, signing: None, ssh_keys: KeyShelf) -> None:
    text = run("history", SLUG).stdout
    entries = json.loads(run("history", SLUG, "--format", "json").stdout)

    assert f"ed [{fingerprint(ssh_keys, 'ed')}] Story opened" in text
    assert [e["signed_by"] for e in entries] == [
        fingerprint(ssh_keys, "ed"),
        fingerprint(ssh_keys, "ed-laptop"),
    ]


def test_an_unsigned_store_shows_what_it_always_did(run: Run) -> None:
    run("--as", "ed", "story", "open", SLUG, "--headline", "Talks")

    assert "signed_by" not in run("log", "--format", "json").stdout
    assert "keys" not in json.loads(run("editors", "--format", "json").stdout)[0]
    assert "[" not in run("history", SLUG).stdout
