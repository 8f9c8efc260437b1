"""Bounded reading: all of a source up to its cap, and a refusal once one byte more has come."""

from __future__ import annotations

import io

import pytest

from infrastructure.bounded_read import InputTooLarge, lines_at_most, read_at_most

LIMIT = 100_000


class Endless(io.RawIOBase):
    """A stream of zeros that never ends, like /dev/zero; counts the bytes handed out."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        buffer[:] = bytes(len(buffer))
        self.given += len(buffer)
        return len(buffer)


def test_a_source_of_exactly_the_limit_is_read_whole() -> None:
    assert read_at_most(io.BytesIO(b"x" * LIMIT), LIMIT, "it") == b"x" * LIMIT


def test_a_source_one_byte_over_the_limit_is_refused() -> None:
    with pytest.raises(InputTooLarge, match="it is larger than 100,000 bytes"):
        read_at_most(io.BytesIO(b"x" * (LIMIT + 1)), LIMIT, "it")


def test_an_endless_source_is_read_only_one_byte_past_the_limit() -> None:
    endless = Endless()

    with pytest.raises(InputTooLarge):
        read_at_most(endless, LIMIT, "it")  # type: ignore[arg-type]

    assert endless.given == LIMIT + 1


def test_lines_within_the_limit_come_one_by_one() -> None:
    lines = io.BytesIO(b"one\n" + b"x" * (LIMIT - 1) + b"\nlast")

    assert list(lines_at_most(lines, LIMIT, "a line")) == [b"one\n", b"x" * (LIMIT - 1) + b"\n", b"last"]


def test_an_endless_line_is_refused_one_byte_past_the_limit() -> None:
    endless = Endless()

    with pytest.raises(InputTooLarge, match="a line is larger than"):
        list(lines_at_most(io.BufferedReader(endless), LIMIT, "a line"))

    assert endless.given <= LIMIT + io.DEFAULT_BUFFER_SIZE
