"""What a benchmark hands the runner: table rows (a figure beside its baseline) and growth series."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """A bound on the ratio figure/baseline: `at most` for costs, `at least` for rates."""

    limit: float
    at_most: bool

    def met(self, ratio: float) -> bool:
        return ratio <= self.limit if self.at_most else ratio >= self.limit

    def describe(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {self.limit:.2f}x"


def at_most(limit: float) -> Target:
    return Target(limit, at_most=True)


def at_least(limit: float) -> Target:
    return Target(limit, at_most=False)


@dataclass(frozen=True)
class Row:
    """One line of the results table: a figure and the baseline measured beside it in the same run."""

    figure: str
    store: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    target: Target | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.target.met(self.ratio)


@dataclass
class Series:
    """How one cost grows with the size of the work: (size, seconds) points, subject and baseline."""

    title: str
    size_label: str
    store: str
    subject_label: str
    points: list[tuple[int, float]] = field(default_factory=list)
    baseline_label: str = ""
    baseline_points: list[tuple[int, float]] = field(default_factory=list)


@dataclass
class Findings:
    """Everything one benchmark measured: its rows, its growth series and notes for the report."""

    rows: list[Row] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: Findings) -> None:
        self.rows.extend(other.rows)
        self.series.extend(other.series)
        self.notes.extend(other.notes)
