"""Whatever fails under a command - the store's server, its disk, its path - the operator reads one
line on stderr and exit 1, and nothing is written; `serve` says so before it says it is serving."""

from __future__ import annotations

import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from infrastructure.bootstrap import bootstrap

ROOT = Path(__file__).parents[2]
SERVE_SECONDS = 60
"""A bound on a serve that should have refused at once; never reached when it does."""


def newsroom_process(
    *args: str, preexec: Callable[[], None] | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        timeout=timeout,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode == 1, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str) -> subprocess.CompletedProcess[str]:
    return newsroom_process("--db", url, "serve", "--port", "0", timeout=SERVE_SECONDS)


def file_size_limit(limit: int) -> Callable[[], None]:
    """For a subprocess: writes past `limit` bytes in any file fail (EFBIG), as on a full disk.
    Portable where a small tmpfs is not: no mount, no privileges."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.fixture
def story_db(tmp_path: Path) -> Path:
    """A store with a story of two events and no read models yet, its write-ahead log emptied."""
    path = tmp_path / "newsroom.db"
    app = bootstrap(f"sqlite:///{path}").app
    app.open_story("syria", "Syria talks", editor="ann")
    app.post_update("syria", "One", "First.", editor="ann")
    app.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def stored_events(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT topic FROM stored_events ORDER BY rowid")]


def test_serve_on_an_unreachable_postgres_fails_in_one_line_before_serving() -> None:
    result = serve(f"postgresql://postgres@127.0.0.1:{closed_port()}/test")

    assert_one_line(result, "cannot reach")
    assert "Serving on" not in result.stdout + result.stderr


def test_serve_on_a_file_that_is_not_a_database_fails_in_one_line_before_serving(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a database" * 100)

    result = serve(f"sqlite:///{junk}")

    assert_one_line(result, "not an SQLite database")
    assert "Serving on" not in result.stdout + result.stderr


@pytest.mark.postgres
def test_serve_on_a_missing_postgres_schema_fails_in_one_line_before_serving(postgres_url: str) -> None:
    result = serve(postgres_url.replace("schema=", "schema=missing_"))

    assert_one_line(result, "does not exist")
    assert "Serving on" not in result.stdout + result.stderr


@pytest.mark.postgres
def test_serve_as_a_user_postgres_does_not_know_fails_in_one_line_before_serving(postgres_url: str) -> None:
    result = serve(postgres_url.replace("://postgres@", "://no_such_newsroom_user@"))

    assert_one_line(result, "no_such_newsroom_user")
    assert "Serving on" not in result.stdout + result.stderr


def test_a_page_on_a_full_disk_before_the_read_models_exist_fails_in_one_line(story_db: Path) -> None:
    # Room for the write-ahead log's index (32 KiB) but not for the read models' tables.
    limit = max(story_db.stat().st_size, 32768) + 8192
    before = stored_events(story_db)
    url = f"sqlite:///{story_db}"

    result = newsroom_process("--db", url, "page", "syria", preexec=file_size_limit(limit))

    assert_one_line(result, "disk I/O error", "nothing was written")
    assert stored_events(story_db) == before
    healthy = newsroom_process("--db", url, "page", "syria")
    assert healthy.returncode == 0 and "Syria talks" in healthy.stdout, healthy.stderr[-2000:]


def test_a_full_disk_while_sqlite_makes_its_log_index_is_not_called_another_file(story_db: Path) -> None:
    # No room to grow any file: SQLite cannot make the 32 KiB index of its write-ahead log.
    limit = story_db.stat().st_size
    before = stored_events(story_db)

    result = newsroom_process(
        "--db", f"sqlite:///{story_db}", "story", "list", preexec=file_size_limit(limit)
    )

    line = assert_one_line(result, "disk I/O error", "nothing was written")
    assert "not an SQLite database" not in line
    assert stored_events(story_db) == before


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"sqlite:///{'a' * 5000}.db", id="a name too long"),
        pytest.param(f"sqlite:///{'a/' * 3000}newsroom.db", id="a path too long"),
        pytest.param("sqlite:///news%00room.db", id="a NUL in the path"),
    ],
)
def test_a_store_path_the_system_refuses_fails_in_one_line(url: str, tmp_path: Path) -> None:
    for args in (["story", "list"], ["--as", "ann", "story", "open", "syria", "--headline", "S"]):
        result = subprocess.run(
            [sys.executable, "-m", "cli", "--db", url, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )

        line = assert_one_line(result, "choose another --db")
        assert len(line) < 400
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["--db", "--read-db", "--views-db"])
def test_a_database_url_with_a_port_out_of_range_fails_in_one_line(option: str, tmp_path: Path) -> None:
    urls = {
        "--db": f"sqlite:///{tmp_path / 'newsroom.db'}",
        option: "postgresql://ann:pw@127.0.0.1:99999/news",
    }

    result = newsroom_process(*[word for pair in urls.items() for word in pair], "story", "list")

    line = assert_one_line(result, option, "Port out of range")
    assert "pw" not in line


def test_an_sqlite_store_the_command_may_not_write_fails_in_one_line(story_db: Path) -> None:
    before = stored_events(story_db)
    story_db.chmod(0o444)
    try:
        result = newsroom_process(
            "--db", f"sqlite:///{story_db}", "--as", "ann",
            "update", "post", "syria", "--title", "T", "--body", "B",
            preexec=without_root_powers,
        )  # fmt: skip
    finally:
        story_db.chmod(0o644)

    assert_one_line(result, "nothing was written")
    assert stored_events(story_db) == before


def test_an_sqlite_store_in_a_folder_the_command_may_not_enter_fails_in_one_line(story_db: Path) -> None:
    before = stored_events(story_db)
    folder = story_db.parent
    folder.chmod(0o000)
    try:
        result = newsroom_process(
            "--db", f"sqlite:///{story_db}", "story", "list", preexec=without_root_powers
        )
    finally:
        folder.chmod(0o755)

    assert_one_line(result, "choose another --db")
    assert stored_events(story_db) == before


def without_root_powers() -> None:
    """For a subprocess run as root: drops the powers to read and write any file (CAP_DAC_*), so
    file permissions apply to it as to any operator; a no-op for anyone else."""
    import ctypes
    import os

    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for capability in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def test_a_read_of_a_store_the_command_may_not_write_fails_in_one_line_and_names_mode_ro(
    story_db: Path,
) -> None:
    for path in (story_db, story_db.with_name("newsroom.db.keys")):
        path.chmod(0o444)
    try:
        result = newsroom_process(
            "--db", f"sqlite:///{story_db}", "page", "syria", preexec=without_root_powers
        )
        read_only = newsroom_process(
            "--db", f"sqlite:///{story_db}?mode=ro", "page", "syria", preexec=without_root_powers
        )
    finally:
        story_db.chmod(0o644)

    assert_one_line(result, "read-only", "nothing was written", "?mode=ro")
    assert read_only.returncode == 0 and "Syria talks" in read_only.stdout, read_only.stderr[-2000:]


def test_read_models_on_an_unreachable_postgres_fail_in_one_line(story_db: Path) -> None:
    dead = f"postgresql://postgres@127.0.0.1:{closed_port()}/test"

    result = newsroom_process("--db", f"sqlite:///{story_db}", "--views-db", dead, "page", "syria")

    assert_one_line(result, "could not be reached", "nothing was written")


def test_read_models_in_a_missing_folder_fail_in_one_line(story_db: Path) -> None:
    views = story_db.parent / "missing" / "views.db"

    result = newsroom_process(
        "--db", f"sqlite:///{story_db}", "--views-db", f"sqlite:///{views}", "page", "syria"
    )

    assert_one_line(result, "unable to open database file", "nothing was written")
    assert not views.parent.exists()


class GoingAwayProxy:
    """A TCP relay on 127.0.0.1 to the PostgreSQL server that lets `connections` through and then
    goes away, as a server does that stops after the command has checked its store."""

    def __init__(self, host: str, port: int, connections: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.thread = threading.Thread(target=self._relay, args=(connections,), daemon=True)
        self.thread.start()

    def _relay(self, connections: int) -> None:
        for _ in range(connections):
            self._relay_one(self.listener.accept()[0])
        self.listener.close()  # every later connection is refused

    def _relay_one(self, client: socket.socket) -> None:
        server = socket.create_connection(self.target)
        pipes = [
            threading.Thread(target=_pipe, args=pair, daemon=True)
            for pair in ((client, server), (server, client))
        ]
        for pipe in pipes:
            pipe.start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    with suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("args", "connections"),
    [
        # The store's check, then the application's own connection, refused.
        pytest.param(["--as", "ann", "story", "open", "syria", "--headline", "Syria talks"], 1, id="a write"),
        # The read models' one look, the store's check, then the application's, refused.
        pytest.param(["story", "list"], 2, id="a read"),
    ],
)
def test_a_postgres_server_gone_after_the_store_was_checked_fails_in_one_line(
    postgres_url: str, args: list[str], connections: int
) -> None:
    parts = urlsplit(postgres_url)
    proxy = GoingAwayProxy(parts.hostname or "127.0.0.1", parts.port or 5432, connections)
    url = postgres_url.replace(f"@{parts.hostname}:{parts.port}/", f"@127.0.0.1:{proxy.port}/")

    result = newsroom_process("--db", url, *args)

    assert_one_line(result, "nothing was written")
    app = bootstrap(postgres_url).app
    try:
        assert app.recorder.max_notification_id() in (None, 0)
    finally:
        app.close()
