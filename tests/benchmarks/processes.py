"""Benchmarks run as the processes they are (`python -m benchmarks.NAME`): tests import none of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import POSTGRES_URL_VAR

ROOT = Path(__file__).parents[2]
SQLITE, POSTGRES = "sqlite", "postgresql"


def available_stores() -> list[str]:
    """The stores a benchmark measures by default: SQLite, and PostgreSQL where the tests have one."""
    return [SQLITE, POSTGRES] if os.environ.get(POSTGRES_URL_VAR) else [SQLITE]


def run_benchmark(module: str, *args: str) -> str:
    """Runs `python -m module args` from the project's root; its standard output, once it exits 0."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{module} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout
