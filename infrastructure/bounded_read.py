"""Reading a file or stream with a cap on its size: `/dev/zero`, an endless pipe or a huge file is
refused as soon as it passes the cap, never read into memory to its end first."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from domain.errors import NewsroomError

CHUNK = 64 * 1024
"""Bytes asked for at a time: a read never holds more than the cap and one chunk."""


class InputTooLarge(NewsroomError):
    """A file or stream holds more than the bytes allowed for what it is meant to be."""

    def __init__(self, what: str, limit: int) -> None:
        self.what, self.limit = what, limit
        super().__init__(f"{what} is larger than {limit:,} bytes")


class NotARegularFile(NewsroomError):
    """A path names a pipe, device or socket where a file that ends is needed."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"{what} is not a regular file: a pipe or device may never end")


def read_at_most(source: BinaryIO, limit: int, what: str) -> bytes:
    """All of `source`, or InputTooLarge as soon as more than `limit` bytes have come."""
    data = bytearray()
    while len(data) <= limit:
        chunk = source.read(min(CHUNK, limit + 1 - len(data)))
        if not chunk:
            return bytes(data)
        data += chunk
    raise InputTooLarge(what, limit)


def read_file_at_most(path: Path | str, limit: int, what: str) -> bytes:
    """The bytes of the file at `path` (a regular file, pipe or device), refused past `limit`.

    A named pipe no program is writing to reads as empty rather than waiting for one.
    OSError (missing, unreadable) is the caller's to word.
    """
    handle, _ = _open_without_waiting(path)
    with handle:
        return read_at_most(handle, limit, what)


def lines_at_most(source: BinaryIO, limit: int, what: str) -> Iterator[bytes]:
    """Each line of `source` (its newline kept), or InputTooLarge as soon as one passes `limit` bytes."""
    while line := source.readline(limit + 1):
        if len(line) > limit:
            raise InputTooLarge(what, limit)
        yield line


def open_regular_file(path: Path | str, what: str) -> BinaryIO:
    """The regular file at `path`, open for reading; a pipe or device is refused (NotARegularFile),
    since reading it to its end may never finish."""
    handle, status = _open_without_waiting(path)
    if not stat.S_ISREG(status.st_mode):
        handle.close()
        raise NotARegularFile(what)
    return handle


def _open_without_waiting(path: Path | str) -> tuple[BinaryIO, os.stat_result]:
    # Opening a named pipe for reading waits until a program opens it for writing, perhaps forever;
    # opened non-blocking it opens at once, and is then read blocking like any file.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb"), status
    except BaseException:
        os.close(descriptor)
        raise
