"""The README's signing and outside-audit blocks, run as written by bash in a fresh folder (the
`.venv/bin/newsroom` they name is this environment's): a key made, the roster started with it, a
signed change, `audit verify --trust` and the real `ssh-keygen -Y verify` of its signature."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def _block(heading: str) -> str:
    section = README.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return block


def _run(folder: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_") and k != "SSH_AUTH_SOCK"}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_readme_s_signing_and_outside_audit_run_as_written(tmp_path: Path) -> None:
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "newsroom").symlink_to(Path(sys.executable).with_name("newsroom"))

    script = _block("Every change signed by its author") + _block("How an outside auditor checks it")

    ran = _run(tmp_path, script)

    assert ran.returncode == 0, ran.stderr
    assert re.search(r"SHA256:[A-Za-z0-9+/]{43}", ran.stdout)
    assert 'Good "newsroom:' in ran.stdout + ran.stderr and "signature for ann" in ran.stdout + ran.stderr


def test_a_change_signed_with_another_key_is_refused_and_recorded_nowhere(tmp_path: Path) -> None:
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "newsroom").symlink_to(Path(sys.executable).with_name("newsroom"))
    signing = _block("Every change signed by its author")
    assert _run(tmp_path, signing).returncode == 0

    forged = _run(
        tmp_path,
        "ssh-keygen -q -t ed25519 -N '' -f mallory_ed25519\n"
        "export NEWSROOM_DB=sqlite:///signed.db NEWSROOM_SIGNING_KEY=mallory_ed25519\n"
        ".venv/bin/newsroom --as ann story headline talks 'Forged' --reason 'Not ann'\n",
    )
    events = _run(tmp_path, "NEWSROOM_DB=sqlite:///signed.db .venv/bin/newsroom events talks --format json")

    assert forged.returncode == 1 and forged.stderr.count("\n") == 1 and "ann" in forged.stderr
    assert "Forged" not in events.stdout
