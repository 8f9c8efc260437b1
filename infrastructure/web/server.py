"""Running the readers' web: uvicorn on a socket the caller bound, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
import time
from types import FrameType
from typing import Any

import uvicorn

from infrastructure.web.app import create_app
from infrastructure.web.cors import ANY_ORIGIN
from infrastructure.web.limits import Limits
from infrastructure.web.masthead import Masthead
from infrastructure.web.protocol import GuardedH11Protocol
from infrastructure.web.reading import Reading
from infrastructure.web.site import Site

SHUTDOWN_SECONDS = 3
"""How long open connections get to finish once asked to stop (streams end at once)."""
LISTEN_BACKLOG = 128
OUT_OF_DESCRIPTORS_EVERY = 30.0
"""Seconds between two log lines saying new connections cannot be accepted for want of descriptors."""

log = logging.getLogger("newsroom.web")


def bind(host: str, port: int, *, backlog: int = LISTEN_BACKLOG) -> socket.socket:
    """A listening socket on `host:port` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP by name: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say so, and
    # with Nagle on every response with a body waits out the client's delayed ACK (40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


def serve(
    reading: Reading,
    sock: socket.socket,
    *,
    limits: Limits,
    public_url: str | None = None,
    about: Masthead | None = None,
    cors_origins: tuple[str, ...] = (ANY_ORIGIN,),
    log_level: str = "warning",
) -> None:
    """Serves the site on `sock` until the process is told to stop, within `limits`."""
    app = create_app(
        Site(reading),
        max_streams=limits.max_streams,
        public_url=public_url,
        about=about,
        cors_origins=cors_origins,
    )
    _Server(server_config(app, limits, log_level=log_level)).run(sockets=[sock])


def server_config(app: Any, limits: Limits, *, log_level: str = "warning") -> uvicorn.Config:
    """uvicorn's settings for the app: the guarded h11 protocol, and an accept burst (`backlog`:
    asyncio accepts up to that many connections per wake-up) that fits in the descriptor limit."""
    return uvicorn.Config(
        app,
        http=functools.partial(GuardedH11Protocol, limits=limits),  # type: ignore[arg-type]
        loop="asyncio",
        backlog=limits.backlog,
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        server_header=False,
    )


class _Server(uvicorn.Server):
    """uvicorn, except that a process asked to stop (Ctrl-C, SIGTERM) that stopped cleanly exits
    normally, as `projections run --follow` does, instead of raising the signal again at the end;
    and that running out of descriptors is said in one line now and then, not once per attempt."""

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        asyncio.get_running_loop().set_exception_handler(_QuietWhenOutOfDescriptors())
        await super().serve(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if not self.force_exit:
            self._captured_signals.clear()


class _QuietWhenOutOfDescriptors:
    """The event loop's error handler. asyncio (3.11) logs a failed accept() with its traceback
    for every connection it tries in a wake-up and schedules a retry for each, so a process out of
    descriptors fills its log; here that is one line every `OUT_OF_DESCRIPTORS_EVERY` seconds."""

    def __init__(self) -> None:
        self.last_said = float("-inf")

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") != "socket.accept() out of system resource":
            loop.default_exception_handler(context)
            return
        now = time.monotonic()
        if now - self.last_said >= OUT_OF_DESCRIPTORS_EVERY:
            self.last_said = now
            log.error("out of file descriptors (%s): new connections wait", context.get("exception"))
