"""OpenSSH signatures made by the newsroom are checked by the real `ssh-keygen -Y verify`, and the
real ssh-keygen's are checked by the newsroom; a key file and a real ssh-agent both sign."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from infrastructure import sshsig
from infrastructure.signers import AgentSigner, KeyFileSigner, SigningKeyUnusable
from tests.support.ssh_agent import running_agent
from tests.support.ssh_keys import KeyShelf

MESSAGE = b"0f" * 32
NAMESPACE = "newsroom:5a1d3b7e-0000-4000-8000-000000000001"


def ssh_keygen_verifies(tmp_path: Path, public_line: str, blob: bytes, namespace: str = NAMESPACE) -> bool:
    (tmp_path / "allowed_signers").write_text(f"ann {public_line}\n", encoding="ascii")
    (tmp_path / "event.sig").write_text(sshsig.armoured(blob), encoding="ascii")
    checked = subprocess.run(
        ["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed_signers"), "-I", "ann", "-n", namespace,
         "-s", str(tmp_path / "event.sig")],
        input=MESSAGE, capture_output=True, timeout=60,
    )  # fmt: skip
    return checked.returncode == 0


def test_a_key_file_s_signature_is_checked_by_ssh_keygen(ssh_keys: KeyShelf, tmp_path: Path) -> None:
    signer = KeyFileSigner(str(ssh_keys("ann").private))
    (key,) = signer.public_keys()

    blob = signer.sign(key, MESSAGE, NAMESPACE)

    assert key.openssh == ssh_keys("ann").openssh
    assert ssh_keygen_verifies(tmp_path, ssh_keys("ann").line, blob)
    assert not ssh_keygen_verifies(tmp_path, ssh_keys("ann").line, blob, namespace="newsroom:another-store")
    assert sshsig.Signature.parse(blob).verifies(MESSAGE, NAMESPACE)


def test_ssh_keygen_s_signature_is_checked_here(ssh_keys: KeyShelf, tmp_path: Path) -> None:
    (tmp_path / "message").write_bytes(MESSAGE)
    signing = ["ssh-keygen", "-q", "-Y", "sign", "-f", str(ssh_keys("ann").private), "-n", NAMESPACE]
    subprocess.run(
        [*signing, str(tmp_path / "message")],
        check=True,
        capture_output=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    signature = sshsig.Signature.parse(
        sshsig.dearmoured((tmp_path / "message.sig").read_text(encoding="ascii"))
    )

    assert signature.key.openssh == ssh_keys("ann").openssh
    assert signature.verifies(MESSAGE, NAMESPACE)
    assert not signature.verifies(b"1f" * 32, NAMESPACE)
    assert not signature.verifies(MESSAGE, "newsroom:another-store")


def test_a_real_ssh_agent_signs_in_one_round_trip(ssh_keys: KeyShelf, tmp_path: Path) -> None:
    with running_agent(tmp_path, ssh_keys("ann").private) as agent_socket:
        agent = AgentSigner(agent_socket)
        (key,) = agent.public_keys()
        blob = agent.sign(key, MESSAGE, NAMESPACE)

    assert key.openssh == ssh_keys("ann").openssh
    assert ssh_keygen_verifies(tmp_path, ssh_keys("ann").line, blob)


@pytest.mark.parametrize("which", ["missing", "public", "rsa"])
def test_a_key_file_that_cannot_sign_is_refused_in_words(
    ssh_keys: KeyShelf, tmp_path: Path, which: str
) -> None:
    path = {
        "missing": tmp_path / "nowhere",
        "public": ssh_keys("ann").public,
        "rsa": ssh_keys("ann-rsa", "rsa").private,
    }[which]

    with pytest.raises(SigningKeyUnusable, match=f"cannot sign with {path}: "):
        KeyFileSigner(str(path))


def test_tampered_or_truncated_signatures_are_not_signatures(ssh_keys: KeyShelf) -> None:
    signer = KeyFileSigner(str(ssh_keys("ann").private))
    blob = signer.sign(signer.public_keys()[0], MESSAGE, NAMESPACE)
    flipped = blob[:-1] + bytes([blob[-1] ^ 1])

    assert not sshsig.Signature.parse(flipped).verifies(MESSAGE, NAMESPACE)
    with pytest.raises(sshsig.BadSignature):
        sshsig.Signature.parse(blob[:-3])
    with pytest.raises(sshsig.BadSignature):
        sshsig.Signature.parse(b"not a signature")
