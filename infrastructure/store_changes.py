"""Waking a follower of an SQLite store as soon as another process commits to it.

PostgreSQL tells its listeners (LISTEN/NOTIFY); SQLite tells nobody, so a follower used to poll
the last notification id every half second, and a reader waited a quarter of a second on average
before anything else happened. A commit writes the store's write-ahead log, and the file system
reports that write (inotify, through `watchfiles`): `StoreChanges.wait` returns at once, and the
poll stays the fallback (another file system, no watcher, a watcher that failed).

The log's frames are written before they are synced and the shared index names them, so a wake
can come a few milliseconds before a reader can see the commit: after each wake, the next few
waits are short, and a caller that found nothing new looks again soon.
"""

from __future__ import annotations

import threading
from pathlib import Path

STEP_MS = 2
"""How long the watcher gathers changes after the last one before it wakes the follower."""
SOON = (0.005, 0.02, 0.05)
"""The waits after a wake, in seconds, for a commit whose index was not yet updated."""


class StoreChanges:
    """Waits for the files of an SQLite store to change, for at most a poll's length."""

    def __init__(self, path: Path | None, stop: threading.Event) -> None:
        self.path = path
        self.stop = stop
        self._changed = threading.Event()
        self._watching = False
        self._tried = False
        self._soon: list[float] = []
        self._starting = threading.Lock()

    def wait(self, timeout: float) -> None:
        """Returns when the store's files may have changed, when `stop` is set, or after
        `timeout` seconds."""
        self._start()
        if not self._watching:
            self.stop.wait(timeout)
            return
        if self._soon:
            timeout = min(timeout, self._soon.pop(0))
        if self._changed.wait(timeout):
            self._changed.clear()
            self._soon = list(SOON)

    def _start(self) -> None:
        with self._starting:
            if self._tried or self.path is None:
                return
            self._tried = self._watching = True
            threading.Thread(target=self._watch, name="store changes", daemon=True).start()

    def _watch(self) -> None:
        assert self.path is not None
        names = {self.path.name, f"{self.path.name}-wal"}
        try:
            from watchfiles import watch

            for _ in watch(
                self.path.parent,
                watch_filter=lambda _change, changed: Path(changed).name in names,
                stop_event=self.stop,
                step=STEP_MS,
                debounce=STEP_MS * 10,
                recursive=False,
                raise_interrupt=False,
            ):
                self._changed.set()
        except Exception:  # no watcher here (a file system without inotify, no watch left): poll
            pass
        finally:
            self._watching = False
            self._changed.set()  # whoever waits returns at once: to stop, or to poll from now on
