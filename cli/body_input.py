"""Reading an update's Markdown body from --body TEXT, --body - (stdin) or --body-file PATH."""

from __future__ import annotations

import sys
from typing import BinaryIO

from cli.errors import BadUsage
from domain.rules import BODY_MAX
from infrastructure.bounded_read import InputTooLarge, read_at_most, read_file_at_most

UTF8_BYTES_PER_CHARACTER = 4
"""The most bytes UTF-8 spends on one character."""

SURROUNDING_WHITESPACE = 1024
"""Bytes allowed past the longest body for blank lines around it, which the body rule strips."""

BODY_BYTES_MAX = BODY_MAX * UTF8_BYTES_PER_CHARACTER + SURROUNDING_WHITESPACE
"""The most bytes read for a body. More cannot be a body the rule accepts, so reading stops there:
`/dev/zero` or an endless pipe is refused at once, not read to its end."""


def read_body(body: str | None, body_file: str | None, *, required: bool) -> str | None:
    if body is not None and body_file is not None:
        raise BadUsage("give the body once: --body TEXT, --body - or --body-file PATH, not both")
    if body == "-":
        return _decoded(_bounded(sys.stdin.buffer, "standard input"), "standard input")
    if body_file is not None:
        where = f"body file {body_file!r}"
        return _decoded(_bounded(body_file, where), where)
    if body is None and required:
        raise BadUsage("the update needs a body: pass --body TEXT, --body - or --body-file PATH")
    return body


def _bounded(source: BinaryIO | str, where: str) -> bytes:
    try:
        if isinstance(source, str):
            return read_file_at_most(source, BODY_BYTES_MAX, where)
        return read_at_most(source, BODY_BYTES_MAX, where)
    except InputTooLarge as error:
        raise BadUsage(
            f"{error}: an update's body is at most {BODY_MAX:,} characters; nothing was appended"
        ) from None
    except OSError as error:
        raise BadUsage(f"cannot read {where}: {error.strerror or error}; check the path") from None


def _decoded(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadUsage(
            f"{where} is not valid UTF-8 text (byte {error.start}); save it as UTF-8 and retry"
        ) from None
