"""A real ssh-agent for a test: started on a socket in a temporary folder, the keys added, and
killed afterwards (by its process id)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

AGENT_DEADLINE = 60.0
"""Seconds the agent's socket has to appear: generous, since the machine may be busy."""


@contextmanager
def running_agent(folder: Path, *key_files: Path) -> Iterator[str]:
    """The socket of an ssh-agent holding `key_files`, killed when the block ends."""
    socket_path = folder / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(socket_path)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + AGENT_DEADLINE
        while not socket_path.exists():
            if time.monotonic() > deadline or agent.poll() is not None:
                raise RuntimeError("ssh-agent did not start")
            time.sleep(0.02)
        env = {**os.environ, "SSH_AUTH_SOCK": str(socket_path)}
        for key_file in key_files:
            subprocess.run(
                ["ssh-add", "-q", str(key_file)], env=env, check=True, timeout=60, stdin=subprocess.DEVNULL
            )
        yield str(socket_path)
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=60)
