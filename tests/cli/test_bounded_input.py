"""Every file or stream the CLI reads is read bounded: /dev/zero, /dev/urandom, an endless pipe or a
huge sparse file as a body, seed, seal or export is refused at once in one line, under a memory cap
that reading it to its end would break, and nothing is appended."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from domain.rules import BODY_MAX
from infrastructure.bootstrap import bootstrap
from tests.cli.conftest import Run, events_of

ROOT = Path(__file__).parents[2]
SLUG = "bounded"
MEMORY_CAP = 512 * 1024 * 1024
"""Address space for a newsroom process: a normal write needs under 200 MB; reading an endless
input into memory passes this within a second or two and dies of MemoryError."""
HANG = 120
"""Seconds after which a process still reading counts as reading forever (a hang, not slowness)."""
HUGE = 8 * 1024 * 1024 * 1024
"""A sparse file of zeros this long costs no disk but would need 8 GiB to read whole."""


def capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def newsroom_process(url: str, *args: str, stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "cli", "--db", url, "--as", "ann", *args]
    return subprocess.run(
        argv, cwd=ROOT, stdin=stdin, capture_output=True, text=True, preexec_fn=capped, timeout=HANG
    )


def assert_refused_in_one_line(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr


def with_one_story(url: str) -> str:
    services = bootstrap(url)
    services.app.open_story(SLUG, "Bounded input", None, editor="ann")
    services.close()
    return url


@pytest.fixture
def store(sqlite_url: str) -> str:
    """An SQLite store holding one open story; the test checks that its events stay as they are."""
    return with_one_story(sqlite_url)


@pytest.fixture
def any_store(store_url: str) -> str:
    """The same on each store (SQLite, PostgreSQL): what is tested is the read, not the store."""
    return with_one_story(store_url)


def notifications(url: str) -> int:
    services = bootstrap(url)
    try:
        return services.app.recorder.max_notification_id() or 0
    finally:
        services.close()


@pytest.fixture
def huge_file(tmp_path: Path) -> Path:
    path = tmp_path / "huge.toml"
    with path.open("wb") as out:
        out.truncate(HUGE)
    return path


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_body_file_is_refused_at_once(store: str, device: str) -> None:
    result = newsroom_process(store, "update", "post", SLUG, "--title", "T", "--body-file", device)

    assert_refused_in_one_line(result, 2, f"{BODY_MAX:,} characters")
    assert notifications(store) == 1


def test_dev_zero_on_standard_input_is_refused_at_once(store: str) -> None:
    with open("/dev/zero", "rb") as zeros:
        result = newsroom_process(
            store, "update", "post", SLUG, "--title", "T", "--body", "-", stdin=zeros.fileno()
        )

    assert_refused_in_one_line(result, 2, "standard input is larger than")
    assert notifications(store) == 1


def test_an_endless_pipe_as_body_file_is_refused_at_once(store: str, tmp_path: Path) -> None:
    fifo = tmp_path / "body.fifo"
    os.mkfifo(fifo)
    # Held open for reading and writing, the pipe has a writer before the process opens it, and the
    # thread's open does not wait; closing it afterwards ends the thread's writes (a broken pipe).
    keeper = os.open(fifo, os.O_RDWR)
    writer = threading.Thread(target=_write_zeros_until_closed, args=(fifo,), daemon=True)
    writer.start()
    try:
        result = newsroom_process(
            store, "update", "revise", SLUG, "1", "--reason", "r", "--body-file", str(fifo)
        )
    finally:
        os.close(keeper)
        writer.join(HANG)

    assert_refused_in_one_line(result, 2, "is larger than")
    assert notifications(store) == 1


def _write_zeros_until_closed(fifo: Path) -> None:
    try:
        with fifo.open("wb") as out:
            while True:
                out.write(bytes(64 * 1024))
    except BrokenPipeError:
        pass


def test_a_huge_seed_file_is_refused_once_its_cap_is_read(store: str, huge_file: Path) -> None:
    result = newsroom_process(store, "seed", str(huge_file))

    assert_refused_in_one_line(result, 1, "is larger than 8,388,608 bytes")
    assert notifications(store) == 1


def test_a_seed_path_naming_a_device_is_refused(store: str, tmp_path: Path) -> None:
    (tmp_path / "zero.toml").symlink_to("/dev/zero")

    result = newsroom_process(store, "seed", str(tmp_path / "zero.toml"))

    assert_refused_in_one_line(result, 1, "neither a file nor a folder")
    assert notifications(store) == 1


@pytest.mark.parametrize("option", ["--seal", "--export"])
def test_dev_zero_as_an_audit_file_is_refused_at_once(store: str, option: str) -> None:
    result = newsroom_process(store, "audit", "verify", option, "/dev/zero")

    assert_refused_in_one_line(result, 1, "cannot be used")
    assert notifications(store) == 1


@pytest.mark.parametrize("option", ["--seal", "--export"])
def test_a_huge_audit_file_is_refused_once_its_cap_is_read(store: str, huge_file: Path, option: str) -> None:
    result = newsroom_process(store, "audit", "verify", option, str(huge_file))

    assert_refused_in_one_line(result, 1, "is larger than")


def test_a_seal_that_is_a_pipe_nobody_writes_to_is_read_as_empty_not_waited_for(
    store: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "seal.json"
    os.mkfifo(fifo)

    result = newsroom_process(store, "audit", "verify", "--seal", str(fifo))

    assert_refused_in_one_line(result, 1, "it is not JSON")


def test_an_export_that_is_a_pipe_is_refused_without_waiting_for_a_writer(store: str, tmp_path: Path) -> None:
    fifo = tmp_path / "record.jsonl"
    os.mkfifo(fifo)

    result = newsroom_process(store, "audit", "verify", "--export", str(fifo))

    assert_refused_in_one_line(result, 1, "is not a regular file")


# The limit itself, through CliRunner: the domain's 50,000 characters, whatever their width in bytes.


@pytest.fixture
def opened(run: Run) -> Run:
    assert run("--as", "ann", "story", "open", SLUG, "--headline", "Bounded input").exit_code == 0
    return run


def post_file(run: Run, path: Path, text: str) -> object:
    path.write_text(text, encoding="utf-8")
    return run("--as", "ann", "update", "post", SLUG, "--title", "T", "--body-file", str(path))


def test_a_body_of_exactly_the_limit_in_four_byte_characters_is_accepted(opened: Run, tmp_path: Path) -> None:
    body = "\N{GRINNING FACE}" * BODY_MAX

    result = post_file(opened, tmp_path / "body.md", body + "\n")

    assert result.exit_code == 0, result.stderr
    assert len(events_of(opened, SLUG)) == 2


def test_a_body_of_exactly_the_limit_on_standard_input_is_accepted(opened: Run) -> None:
    result = opened(
        "--as", "ann", "update", "post", SLUG, "--title", "T", "--body", "-", input="x" * BODY_MAX
    )

    assert result.exit_code == 0, result.stderr
    assert len(events_of(opened, SLUG)) == 2


def test_a_body_one_character_over_the_limit_is_refused(opened: Run, tmp_path: Path) -> None:
    result = post_file(opened, tmp_path / "body.md", "x" * (BODY_MAX + 1))

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and str(BODY_MAX) in result.stderr
    assert len(events_of(opened, SLUG)) == 1


def test_a_body_past_the_byte_bound_is_refused_as_usage(opened: Run) -> None:
    too_long = "\N{GRINNING FACE}" * (BODY_MAX + 1000)

    result = opened("--as", "ann", "update", "post", SLUG, "--title", "T", "--body", "-", input=too_long)

    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and f"{BODY_MAX:,} characters" in result.stderr
    assert len(events_of(opened, SLUG)) == 1
