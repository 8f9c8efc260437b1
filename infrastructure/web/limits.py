"""How much one serving process takes on: open event streams, open connections, the accept burst,
and how long a request's headers may take. Derived from the descriptor limit unless configured,
so the process refuses readers (503, `Retry-After`) before it runs out of file descriptors."""

from __future__ import annotations

import resource
from dataclasses import dataclass

RESERVED_DESCRIPTORS = 64
"""Kept back from connections for the database, the log, static files and the event loop."""
MIN_CONNECTIONS = 8
HEADER_TIMEOUT_SECONDS = 10.0
RETRY_AFTER_SECONDS = 10
"""What a reader turned away is told to wait before trying again."""


class LimitsTooLow(ValueError):
    """The descriptor limit leaves no room to serve, or a configured cap does not fit in it."""


@dataclass(frozen=True)
class Limits:
    """Caps for one serving process: `max_connections` open at once (past it a new connection is
    answered 503 and closed), of which at most `max_streams` event streams; `backlog` is both the
    listen queue and how many connections one wake-up accepts."""

    max_connections: int
    max_streams: int
    backlog: int
    header_timeout: float = HEADER_TIMEOUT_SECONDS


def descriptor_limit() -> int:
    """The soft limit on open file descriptors (RLIMIT_NOFILE)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def limits_for(
    descriptors: int, *, max_streams: int | None = None, header_timeout: float = HEADER_TIMEOUT_SECONDS
) -> Limits:
    """Caps that keep connections, plus one accept burst, under `descriptors` with room to spare;
    streams get three quarters of the connections by default, so pages are still served at the cap."""
    usable = descriptors - RESERVED_DESCRIPTORS - descriptors // 16
    backlog = max(1, min(128, usable // 8))
    connections = usable - backlog
    if connections < MIN_CONNECTIONS:
        raise LimitsTooLow(
            f"the descriptor limit ({descriptors}) leaves room for only {max(connections, 0)} connections; "
            "raise it (ulimit -n)"
        )
    streams = connections * 3 // 4 if max_streams is None else max_streams
    if not 1 <= streams < connections:
        raise LimitsTooLow(
            f"--max-streams must be from 1 to {connections - 1} under the descriptor limit ({descriptors}), "
            f"leaving room for page requests; got {streams}"
        )
    return Limits(connections, streams, backlog, header_timeout)


class StreamSlots:
    """The open event streams of one app, against its cap (counted on the event loop: no lock)."""

    def __init__(self, cap: int | None) -> None:
        self.cap = cap
        self.open = 0

    def take(self) -> bool:
        """Whether one more stream may open (and if so, counts it)."""
        if self.cap is not None and self.open >= self.cap:
            return False
        self.open += 1
        return True

    def give_back(self) -> None:
        self.open -= 1
