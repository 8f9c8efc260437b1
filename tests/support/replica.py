"""A PostgreSQL primary and a streaming replica of it, made on this machine for the replica tests.

The machine's own server (5432) is never touched: replication needs a primary that allows it, so
both clusters are made here, in one temporary folder, on free ports: `initdb` (wal_level=replica,
trust for local replication), then `pg_basebackup -R` for the standby. About ten seconds; both are
stopped and deleted by `stop`. `.ci/replica` runs `start`/`stop` as a script for `.ci/run`, which
hands the URLs to the tests (NEWSROOM_TEST_PRIMARY, NEWSROOM_TEST_REPLICA); without them the
tests' session fixture makes its own pair.

    python -m tests.support.replica start   # prints export lines, and the folder to stop
    python -m tests.support.replica stop FOLDER
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
DBNAME = "newsroom"
START_SECONDS = 60


class ReplicaSetupFailed(RuntimeError):
    """The primary or its replica could not be made on this machine."""


@dataclass(frozen=True)
class ReplicaPair:
    """Where the two clusters run."""

    folder: Path
    primary_port: int
    replica_port: int

    @property
    def primary_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.primary_port}/{DBNAME}"

    @property
    def replica_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.replica_port}/{DBNAME}"


def can_make_clusters() -> bool:
    """Whether this machine has PostgreSQL's programs and a user to run them as."""
    if not (BIN / "initdb").exists():
        return False
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
    return True


def start() -> ReplicaPair:
    """Makes and starts a primary and its streaming replica; raises `ReplicaSetupFailed`."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-replica-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    primary_port, replica_port = _free_port(), _free_port()
    pair = ReplicaPair(folder, primary_port, replica_port)
    try:
        _make_primary(folder, primary_port)
        _make_replica(folder, primary_port, replica_port)
        _wait_until_streaming(pair)
    except BaseException:
        stop(folder)
        raise
    return pair


def stop(folder: Path) -> None:
    """Stops both clusters (immediately: they are thrown away) and deletes the folder."""
    for name in ("replica", "primary"):
        data = folder / name
        if (data / "postmaster.pid").exists():
            _run(
                [str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"],
                check=False,
            )
    shutil.rmtree(folder, ignore_errors=True)


def _make_primary(folder: Path, port: int) -> None:
    data = folder / "primary"
    _run([str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
    settings = [
        "listen_addresses = '127.0.0.1'",
        f"port = {port}",
        f"unix_socket_directories = '{folder}'",
        "wal_level = replica",
        "max_wal_senders = 10",
        "max_connections = 100",
        "shared_buffers = 32MB",
        "fsync = on",
        "logging_collector = off",
    ]
    with (data / "postgresql.conf").open("a") as conf:
        conf.write("\n".join(settings) + "\n")
    _start(data, folder / "primary.log")
    _run([str(BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DBNAME])


def _make_replica(folder: Path, primary_port: int, port: int) -> None:
    data = folder / "replica"
    _run(
        [str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
         "-D", str(data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"]
    )  # fmt: skip
    with (data / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"port = {port}\nhot_standby = on\n")
    _start(data, folder / "replica.log")


def _start(data: Path, log: Path) -> None:
    _run([str(BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", str(START_SECONDS), "start"])


def _wait_until_streaming(pair: ReplicaPair) -> None:
    import psycopg

    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with psycopg.connect(pair.replica_url, autocommit=True, connect_timeout=2) as connection:
                row = connection.execute("SELECT pg_is_in_recovery()").fetchone()
            with psycopg.connect(pair.primary_url, autocommit=True, connect_timeout=2) as connection:
                streaming = connection.execute(
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                ).fetchone()
            if row and row[0] and streaming and streaming[0]:
                return
        except psycopg.OperationalError:
            pass
        if time.monotonic() > deadline:
            raise ReplicaSetupFailed(f"the replica on port {pair.replica_port} did not start streaming")
        time.sleep(0.2)


def _run(command: list[str], *, check: bool = True) -> None:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd="/")
    if check and result.returncode != 0:
        raise ReplicaSetupFailed(
            f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main(argv: list[str]) -> int:
    if argv[:1] == ["start"]:
        pair = start()
        print(f"export NEWSROOM_TEST_PRIMARY={pair.primary_url}")
        print(f"export NEWSROOM_TEST_REPLICA={pair.replica_url}")
        print(f"export NEWSROOM_REPLICA_FOLDER={pair.folder}")
        return 0
    if len(argv) == 2 and argv[0] == "stop":
        stop(Path(argv[1]))
        return 0
    print("usage: python -m tests.support.replica start | stop FOLDER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
