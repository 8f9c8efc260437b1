"""Running the readers' web: uvicorn on a socket the caller bound, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import socket
from types import FrameType

import uvicorn

from infrastructure.web.app import create_app
from infrastructure.web.reading import Reading
from infrastructure.web.site import Site

SHUTDOWN_SECONDS = 3
"""How long open connections get to finish once asked to stop (streams end at once)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host:port` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP by name: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say so, and
    # with Nagle on every response with a body waits out the client's delayed ACK (40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def serve(reading: Reading, sock: socket.socket, *, log_level: str = "warning") -> None:
    """Serves the site on `sock` until the process is told to stop."""
    app = create_app(Site(reading))
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        server_header=False,
    )
    _Server(config).run(sockets=[sock])


class _Server(uvicorn.Server):
    """uvicorn, except that a process asked to stop (Ctrl-C, SIGTERM) that stopped cleanly exits
    normally, as `projections run --follow` does, instead of raising the signal again at the end."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if not self.force_exit:
            self._captured_signals.clear()
