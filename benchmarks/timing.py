"""Timing on a shared, noisy machine: medians of repeated runs, subject and baseline (or several
actions) interleaved."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
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


def median_time(
    action: Callable[[], object],
    runs: int,
    *,
    warmup: int = 1,
    setup: Callable[[], object] | None = None,
) -> float:
    """Median seconds of `action` over `runs` runs, after `warmup` untimed ones; a setup, when
    given, runs untimed before each call."""
    [times] = rotated([action], runs, warmup=warmup, setups=[setup])
    return statistics.median(times)


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
    subject_times, baseline_times = rotated(
        [subject, baseline], runs, warmup=warmup, setups=[subject_setup, baseline_setup]
    )
    return Paired(statistics.median(subject_times), statistics.median(baseline_times), runs)


def rotated(
    actions: Sequence[Callable[[], object]],
    runs: int,
    *,
    warmup: int = 1,
    setups: Sequence[Callable[[], object] | None] | None = None,
) -> list[list[float]]:
    """Each action's times, run in turn, the order reversed every other round (ABC CBA ...), after
    `warmup` untimed rounds. A setup, when given, runs untimed before each call of its action."""
    calls = list(zip(actions, setups or [None] * len(actions), strict=True))
    for action, setup in calls * warmup:
        _call(action, setup)
    times: list[list[float]] = [[] for _ in calls]
    order = list(range(len(calls)))
    for round_ in range(runs):
        for i in order if round_ % 2 == 0 else reversed(order):
            times[i].append(_call(*calls[i]))
    return times


def _call(action: Callable[[], object], setup: Callable[[], object] | None) -> float:
    if setup is not None:
        setup()
    return timed(action)
