"""`audit export --signatures DIR`: every signed event checked by the real `ssh-keygen -Y verify`
from the export and its allowed_signers file alone, on both stores; a message or namespace that is
not the event's fails there too."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import newsroom as newsroom_cli
from domain.application import Newsroom
from domain.signing import PublicKey
from infrastructure.bootstrap import Services
from infrastructure.erasure import erase_person
from tests.support.ssh_keys import KeyShelf, signing_with

SLUG = "inquiry"
NAME = "Zoë Quarrington-Ülker"


def key(ssh_keys: KeyShelf, name: str) -> PublicKey:
    return PublicKey.parse(ssh_keys(name).line)


@pytest.fixture
def exported(app: Newsroom, store_url: str, ssh_keys: KeyShelf, tmp_path: Path) -> Path:
    signing_with(app, ssh_keys)
    app.add_staff("ann", ["admin"], editor="ann", keys=[key(ssh_keys, "ann")])
    app.add_staff(NAME, ["editor"], editor="ann", keys=[key(ssh_keys, "zoe")])
    app.open_story(SLUG, "An inquiry", editor=NAME)
    app.post_update(SLUG, "Opening", "Words.", editor=NAME)
    folder = tmp_path / "signatures"
    result = CliRunner().invoke(
        newsroom_cli, ["--db", store_url, "audit", "export", "--signatures", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote 7 signatures under newsroom:")
    return folder


def ssh_keygen_verify(
    folder: Path, base: str, name: str, namespace: str | None = None, message: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    namespace = namespace or (folder / "namespace").read_text(encoding="ascii").strip()
    return subprocess.run(
        ["ssh-keygen", "-Y", "verify", "-f", str(folder / "allowed_signers"), "-I", name, "-n", namespace,
         "-s", str(folder / f"{base}.sig")],
        input=(folder / f"{base}.msg").read_bytes() if message is None else message,
        capture_output=True, timeout=60,
    )  # fmt: skip


def index(folder: Path) -> list[list[str]]:
    return [
        line.split("\t") for line in (folder / "signatures.tsv").read_text(encoding="utf-8").splitlines()[1:]
    ]


def test_ssh_keygen_checks_every_exported_signature_against_its_author(exported: Path) -> None:
    rows = index(exported)

    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("staff roster", "1", "ann"), ("staff roster", "2", "ann"), ("staff roster", "3", "ann"),
        ("staff roster", "4", "ann"), ("staff roster", "5", "ann"), (SLUG, "1", NAME), (SLUG, "2", NAME),
    ]  # fmt: skip
    for base, _where, _version, author, fingerprint in rows:
        checked = ssh_keygen_verify(exported, base, author)
        assert checked.returncode == 0, checked.stderr
        assert fingerprint.encode() in checked.stdout + checked.stderr


def test_ssh_keygen_refuses_another_author_message_or_namespace(exported: Path) -> None:
    base = f"{SLUG}.v2"

    assert ssh_keygen_verify(exported, base, "ann").returncode != 0
    assert ssh_keygen_verify(exported, base, NAME, namespace="newsroom:another-store").returncode != 0
    assert ssh_keygen_verify(exported, base, NAME, message=b"0" * 64).returncode != 0


def test_after_an_erasure_the_signatures_still_verify_under_the_erased_name(
    exported: Path, newsroom: Services, store_url: str, tmp_path: Path
) -> None:
    erase_person(newsroom, NAME, request="DSAR-1", editor="ann")
    folder = tmp_path / "after"
    result = CliRunner().invoke(
        newsroom_cli, ["--db", store_url, "audit", "export", "--signatures", str(folder)]
    )
    assert result.exit_code == 0, result.output

    rows = [r for r in index(folder) if r[1] == SLUG]
    assert {r[3] for r in rows} == {"[erased]"}
    assert NAME not in (folder / "allowed_signers").read_text(encoding="utf-8")
    assert all(ssh_keygen_verify(folder, r[0], "[erased]").returncode == 0 for r in rows)


def test_a_store_that_signs_nothing_has_nothing_to_export(
    app: Newsroom, store_url: str, tmp_path: Path
) -> None:
    app.open_story(SLUG, "An inquiry", editor="anyone")

    result = CliRunner().invoke(
        newsroom_cli, ["--db", store_url, "audit", "export", "--signatures", str(tmp_path / "s")]
    )

    assert (result.exit_code, result.stderr) == (
        1,
        "Error: the store signs nothing (no keys on its roster): there are no signatures to export\n",
    )
    assert not (tmp_path / "s").exists()
