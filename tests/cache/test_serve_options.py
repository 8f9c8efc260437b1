"""`serve --cache-max-age` and `--cache-purge` (and their environment variables): checked before
the server starts, in one line; the max-age reaches the answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.web.live_server import serve_process

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (
            ["--cache-max-age", "0"],
            {},
            "Invalid value for '--cache-max-age': 0 is not in the range 1<=x<=3600",
        ),
        ([], {"NEWSROOM_CACHE_MAX_AGE": "soon"}, "Invalid value for '--cache-max-age'"),
        (["--cache-purge", "varnish:6081"], {}, "--cache-purge must be an http or https URL with a host"),
        (
            [],
            {"NEWSROOM_CACHE_PURGE": "ftp://cache/"},
            "--cache-purge must be an http or https URL with a host",
        ),
    ],
)
def test_a_bad_cache_setting_is_refused_in_one_line_before_serving(
    sqlite_url: str, args: list[str], env: dict[str, str], said: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cli", "--db", sqlite_url, "serve", "--port", "0", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and said in result.stderr
    assert "Serving on" not in result.stderr


def test_the_max_age_given_reaches_the_answers(sqlite_url: str) -> None:
    with serve_process(sqlite_url, "--cache-max-age", "9") as (_process, base):
        control = httpx.get(f"{base}/").headers["cache-control"]

    assert control == "public, max-age=9, stale-while-revalidate=9"
