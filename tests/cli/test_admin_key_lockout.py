"""No lock-out through the real CLI, on both stores: revoking the last admin's last key, or
removing the last admin who holds a key, is refused in one line saying what to do, and nothing is
recorded."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import Run
from tests.support.ssh_keys import KeyShelf


def fingerprint(path: Path) -> str:
    printed = subprocess.run(
        ["ssh-keygen", "-lf", str(path)], check=True, capture_output=True, text=True, timeout=60
    )
    return printed.stdout.split()[1]


@pytest.fixture
def by(run: Run, ssh_keys: KeyShelf, store_url: str) -> Callable[..., Result]:
    """`by("ann", ARGS...)`: `newsroom --db STORE --key <ann's private key> --as ann ARGS`."""
    return lambda name, *args: run("--key", str(ssh_keys(name).private), "--as", name, *args, db=store_url)


@pytest.fixture
def history(run: Run, store_url: str) -> Callable[[], str]:
    return lambda: run("staff", "history", "--format", "json", db=store_url).stdout


@pytest.fixture
def staffed(by: Callable[..., Result], ssh_keys: KeyShelf) -> None:
    """ann, the one admin with a key; ed, an admin without one."""
    assert (
        by("ann", "staff", "add", "ann", "--role", "admin", "--key", str(ssh_keys("ann").public)).exit_code
        == 0
    )
    assert by("ann", "staff", "add", "ed", "--role", "editor", "--role", "admin").exit_code == 0


def refusal(ann: Path) -> str:
    return (
        f"Error: ann is the last admin with a key ({fingerprint(ann)}): no one could sign a change to the "
        "staff; register another admin's key first (`newsroom staff key add NAME PUBFILE`, or "
        "`newsroom staff grant NAME admin` to a member with one)\n"
    )


def test_revoking_the_last_admin_s_last_key_is_refused_and_nothing_recorded(
    by: Callable[..., Result], history: Callable[[], str], staffed: None, ssh_keys: KeyShelf
) -> None:
    before = history()

    result = by("ann", "staff", "key", "revoke", "ann", str(ssh_keys("ann").public))

    assert (result.exit_code, result.stdout, result.stderr) == (1, "", refusal(ssh_keys("ann").public))
    assert history() == before


def test_removing_the_last_admin_who_holds_a_key_is_refused_and_nothing_recorded(
    by: Callable[..., Result], history: Callable[[], str], staffed: None, ssh_keys: KeyShelf
) -> None:
    before = history()

    result = by("ann", "staff", "remove", "ann")

    assert (result.exit_code, result.stdout, result.stderr) == (1, "", refusal(ssh_keys("ann").public))
    assert history() == before


def test_once_another_admin_holds_a_key_the_first_one_s_may_be_revoked(
    by: Callable[..., Result], history: Callable[[], str], staffed: None, ssh_keys: KeyShelf
) -> None:
    assert by("ann", "staff", "key", "add", "ed", str(ssh_keys("ed").public)).exit_code == 0

    result = by("ann", "staff", "key", "revoke", "ann", str(ssh_keys("ann").public))

    assert result.exit_code == 0, result.output
    assert '"KeyRevoked"' in history()
