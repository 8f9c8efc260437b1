"""The README's ten-minute tour, as real processes in a fresh folder: after the first command's
seed, each of its `newsroom` lines runs as written and does what its comment says."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"
NEWSROOM = ".venv/bin/newsroom"
# The server is the web tests' (tests/web/test_serve_process.py); here it would only hold a port.
LEFT_TO_OTHER_TESTS = ("serve", "kill")


def _tour() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## A ten-minute tour", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def _environment(tour: list[str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_")}
    for line in tour:
        if line.startswith("export "):
            env.update(word.split("=", 1) for word in shlex.split(line, comments=True)[1:])
    return env


def _newsroom(folder: Path, env: dict[str, str], args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], cwd=folder, env=env, capture_output=True, text=True, check=False
    )


def test_the_tour_runs_as_written(tmp_path: Path) -> None:
    tour = _tour()
    env = _environment(tour)
    assert _newsroom(tmp_path, env, ["seed"]).returncode == 0

    outputs = []
    for line in tour:
        words = shlex.split(line, comments=True)
        if words[0] != NEWSROOM or words[1] in LEFT_TO_OTHER_TESTS:
            continue
        ran = _newsroom(tmp_path, env, words[1:])
        assert ran.returncode == 0, (line, ran.stderr)
        outputs.append(ran.stdout)

    seeded_again, posted, corrected, history, verified = outputs
    assert "nothing appended" in seeded_again
    assert posted == "6\n"
    assert "corrected" in corrected
    assert "Ann Editor" in history and "Quote 1 corrected in update 2" in history
    assert verified.startswith("intact:")
