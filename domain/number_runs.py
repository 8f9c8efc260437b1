"""Runs of consecutive update numbers, `[[first, last], ...]`: a set of numbers kept in a story's
state whose size grows with its gaps, not with its members.

The updates posted sealed are every update since the store began sealing (one run), with a gap
only where a post was made without keys; held number by number they would make every snapshot of
a long story longer than the last. The runs are plain lists, so a snapshot stores them as JSON.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import TypeAlias

NumberRuns: TypeAlias = list[list[int]]
"""`[[first, last], ...]`, ascending, each `first <= last`, with at least one number missing
between one run and the next."""


def holds(runs: Sequence[Sequence[int]], number: int) -> bool:
    """Whether `number` is in one of `runs`."""
    at = bisect_right(runs, number, key=_first)
    return at > 0 and number <= runs[at - 1][1]


def adding(runs: Sequence[Sequence[int]], number: int) -> NumberRuns:
    """`runs` with `number` among them, as new lists: a run next to it grows (two it joins become
    one), so posting the next update sealed only moves the last run's end."""
    at = bisect_right(runs, number, key=_first)
    before, after = [list(run) for run in runs[:at]], [list(run) for run in runs[at:]]
    if before and number <= before[-1][1]:
        return before + after
    joins_before = bool(before) and before[-1][1] == number - 1
    joins_after = bool(after) and after[0][0] == number + 1
    if joins_before and joins_after:
        return [*before[:-1], [before[-1][0], after[0][1]], *after[1:]]
    if joins_before:
        before[-1][1] = number
    elif joins_after:
        after[0][0] = number
    else:
        before.append([number, number])
    return before + after


def runs_of(numbers: Iterable[int]) -> NumberRuns:
    """The runs holding exactly `numbers` (in any order, repeats allowed)."""
    runs: NumberRuns = []
    for number in sorted(set(numbers)):
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return runs


def _first(run: Sequence[int]) -> int:
    return run[0]
