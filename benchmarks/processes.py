"""The environment of the Python processes a benchmark starts."""

from __future__ import annotations

import os


def bytecode_cached(env: dict[str, str] | None = None) -> dict[str, str]:
    """`env` (default: this process's) for a process a benchmark starts, with Python's bytecode
    cache on. Where PYTHONDONTWRITEBYTECODE is set (some shells and CI runners set it), every process
    would compile the newsroom's modules from source (~30-50 ms for a write command), while the
    libraries' come compiled from their install: neither what a user runs nor a fair comparison
    with a bare script."""
    cached = dict(os.environ if env is None else env)
    cached.pop("PYTHONDONTWRITEBYTECODE", None)
    return cached
