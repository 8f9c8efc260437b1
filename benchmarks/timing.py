"""Timing on a shared, noisy machine: medians of repeated runs, subject and baseline interleaved."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Paired:
    """Median seconds of a subject and its baseline, timed alternately in the same run."""

    subject: float
    baseline: float
    runs: int

    @property
    def ratio(self) -> float:
        return self.subject / self.baseline


def timed(action: Callable[[], object]) -> float:
    """Seconds `action` took."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action: Callable[[], object], runs: int, *, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    return statistics.median(timed(action) for _ in range(runs))


def interleaved(
    subject: Callable[[], object],
    baseline: Callable[[], object],
    runs: int,
    *,
    warmup: int = 1,
    subject_setup: Callable[[], object] | None = None,
    baseline_setup: Callable[[], object] | None = None,
) -> Paired:
    """Times subject and baseline alternately (ABBA order), so a noisy spell hits both alike.

    A setup, when given, runs untimed before each call of its side.
    """
    sides = [(subject, subject_setup, []), (baseline, baseline_setup, [])]
    for action, setup, _ in sides * warmup:
        _call(action, setup)
    for i in range(runs):
        for action, setup, times in sides if i % 2 == 0 else reversed(sides):
            times.append(_call(action, setup))
    return Paired(statistics.median(sides[0][2]), statistics.median(sides[1][2]), runs)


def _call(action: Callable[[], object], setup: Callable[[], object] | None) -> float:
    if setup is not None:
        setup()
    return timed(action)
