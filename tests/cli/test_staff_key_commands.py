"""`newsroom staff add --key`, `staff key add|revoke` and `staff list` through the real CLI: the
fingerprints said as ssh-keygen says them, refusals in one line with nothing appended."""

from __future__ import annotations

import json
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
def by(run: Run, ssh_keys: KeyShelf) -> Callable[..., Result]:
    """`by("ann", ARGS...)`: `newsroom --key <ann's private key> --as ann ARGS`."""
    return lambda name, *args: run("--key", str(ssh_keys(name).private), "--as", name, *args)


def staff_json(run: Run) -> list[dict[str, object]]:
    return json.loads(run("staff", "list", "--format", "json").stdout)


@pytest.fixture
def staffed(by: Callable[..., Result], ssh_keys: KeyShelf) -> None:
    assert (
        by("ann", "staff", "add", "ann", "--role", "admin", "--key", str(ssh_keys("ann").public)).exit_code
        == 0
    )
    assert (
        by("ann", "staff", "add", "ed", "--role", "editor", "--key", str(ssh_keys("ed").public)).exit_code
        == 0
    )


def test_starting_the_roster_prints_the_first_admin_s_fingerprint(
    by: Callable[..., Result], run: Run, ssh_keys: KeyShelf
) -> None:
    result = by("ann", "staff", "add", "ann", "--role", "admin", "--key", str(ssh_keys("ann").public))

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "ann added to the staff as admin\n"
        f"ann's key {fingerprint(ssh_keys('ann').public)}\n"
        "the roster starts here: keep these fingerprints outside the database (its root of trust)\n"
    )


def test_a_later_member_s_key_is_printed_without_the_root_of_trust(
    by: Callable[..., Result], run: Run, staffed: None, ssh_keys: KeyShelf
) -> None:
    result = by("ann", "staff", "add", "cat", "--role", "contributor", "--key", str(ssh_keys("cat").public))

    assert (
        result.stdout
        == f"cat added to the staff as contributor\ncat's key {fingerprint(ssh_keys('cat').public)}\n"
    )


def test_staff_list_shows_each_member_s_fingerprints(run: Run, staffed: None, ssh_keys: KeyShelf) -> None:
    listed = staff_json(run)
    text = run("staff", "list").stdout

    assert [(m["name"], m["keys"]) for m in listed] == [
        ("ann", [fingerprint(ssh_keys("ann").public)]),
        ("ed", [fingerprint(ssh_keys("ed").public)]),
    ]
    assert f"     key {fingerprint(ssh_keys('ed').public)}\n" in text


def test_a_key_is_added_and_revoked_and_the_history_says_so(
    by: Callable[..., Result], run: Run, staffed: None, ssh_keys: KeyShelf
) -> None:
    laptop, old = ssh_keys("ed-laptop").public, ssh_keys("ed").public

    added = by("ann", "staff", "key", "add", "ed", str(laptop))
    revoked = by("ann", "staff", "key", "revoke", "ed", str(old))

    assert added.stdout == f"ed's key {fingerprint(laptop)} registered\n"
    assert revoked.stdout == f"ed's key {fingerprint(old)} revoked\n"
    assert [m["keys"] for m in staff_json(run) if m["name"] == "ed"] == [[fingerprint(laptop)]]
    history = json.loads(run("staff", "history", "--format", "json").stdout)
    assert [(h["type"], h["name"], h["what"]) for h in history[-2:]] == [
        ("KeyRegistered", "ed", f"ed's key {fingerprint(laptop)} registered"),
        ("KeyRevoked", "ed", f"ed's key {fingerprint(old)} revoked"),
    ]


def test_a_key_of_another_type_is_refused_in_one_line_and_nothing_is_recorded(
    by: Callable[..., Result], run: Run, staffed: None, ssh_keys: KeyShelf
) -> None:
    before = run("staff", "history").stdout

    result = by("ann", "staff", "key", "add", "ed", str(ssh_keys("ed-rsa", "rsa").public))

    assert (result.exit_code, result.stderr) == (
        1,
        "Error: a ssh-rsa key cannot sign here: only Ed25519 keys (ssh-ed25519) are accepted; "
        "make one with `ssh-keygen -t ed25519`\n",
    )
    assert run("staff", "history").stdout == before


def test_a_private_key_or_a_missing_file_is_refused_in_one_line(
    by: Callable[..., Result], run: Run, staffed: None, ssh_keys: KeyShelf, tmp_path: Path
) -> None:
    private = by("ann", "staff", "key", "add", "ed", str(ssh_keys("ed-laptop").private))
    missing = by("ann", "staff", "key", "add", "ed", str(tmp_path / "nowhere.pub"))

    assert (private.exit_code, private.stderr) == (
        1,
        f"Error: {ssh_keys('ed-laptop').private} is a private key: give the public one "
        f"({ssh_keys('ed-laptop').private}.pub)\n",
    )
    assert missing.exit_code == 1
    assert (
        missing.stderr
        == f"Error: cannot read the key file {tmp_path / 'nowhere.pub'}: No such file or directory\n"
    )


def test_a_key_already_registered_is_refused_naming_its_holder(
    by: Callable[..., Result], run: Run, staffed: None, ssh_keys: KeyShelf
) -> None:
    result = by("ann", "staff", "key", "add", "ed", str(ssh_keys("ann").public))

    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: key {fingerprint(ssh_keys('ann').public)} is registered (to ann); each key belongs to one "
        "member: make another with `ssh-keygen -t ed25519`\n",
    )


def test_only_an_admin_registers_keys(
    by: Callable[..., Result], run: Run, staffed: None, ssh_keys: KeyShelf
) -> None:
    result = by("ed", "staff", "key", "add", "ed", str(ssh_keys("ed-laptop").public))

    assert (result.exit_code, result.stderr) == (
        1,
        "Error: ed is an editor: only an admin may register staff keys\n",
    )
