"""Reading an update's Markdown body from --body TEXT, --body - (stdin) or --body-file PATH."""

from __future__ import annotations

import sys

from cli.errors import BadUsage


def read_body(body: str | None, body_file: str | None, *, required: bool) -> str | None:
    if body is not None and body_file is not None:
        raise BadUsage("give the body once: --body TEXT, --body - or --body-file PATH, not both")
    if body == "-":
        return _decode(sys.stdin.buffer.read(), "standard input")
    if body_file is not None:
        try:
            with open(body_file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise BadUsage(
                f"cannot read body file {body_file!r}: {error.strerror or error}; check the path"
            ) from None
        return _decode(data, f"body file {body_file!r}")
    if body is None and required:
        raise BadUsage("the update needs a body: pass --body TEXT, --body - or --body-file PATH")
    return body


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadUsage(
            f"{where} is not valid UTF-8 text (byte {error.start}); save it as UTF-8 and retry"
        ) from None
