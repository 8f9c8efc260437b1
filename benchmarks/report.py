"""The results: a table printed and written as Markdown, and a plot of how each cost grows."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from benchmarks.rows import Row, Series

HEADER = "| figure | store | measured | baseline | ratio | target | met? |"


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        milliseconds = value * 1e3
        return f"{milliseconds:.3g} ms" if milliseconds < 1000 else f"{milliseconds:,.0f} ms"
    if unit == "B":
        return f"{value:,.0f} B"
    if unit == "/s":
        return f"{value:,.0f}/s"
    return f"{value:.3g} {unit}"


def table(rows: list[Row]) -> str:
    """The results table in Markdown, which also reads well in a terminal."""
    lines = [HEADER, "|---|---|---:|---:|---:|---:|:---:|"]
    for row in rows:
        ratio = "–" if row.ratio is None else f"{row.ratio:.2f}x"
        target = "–" if row.target is None else row.target.describe()
        met = {None: "–", True: "yes", False: "**no**"}[row.met]
        baseline = format_value(row.baseline, row.unit)
        if row.baseline_label:
            baseline = f"{baseline} ({row.baseline_label})"
        lines.append(
            f"| {row.figure} | {row.store} | {format_value(row.value, row.unit)} | {baseline} "
            f"| {ratio} | {target} | {met} |"
        )
    return "\n".join(lines)


def row_notes(rows: list[Row]) -> str:
    return "\n".join(f"- {row.figure} ({row.store}): {row.note}" for row in rows if row.note)


def series_table(series: list[Series]) -> str:
    """The numbers behind the plot."""
    lines = []
    for s in series:
        baseline = dict(s.baseline_points)
        lines.append(f"- {s.title} ({s.store}), by {s.size_label}: " + ", ".join(
            f"{size:,} → {seconds * 1e3:.3g} ms"
            + (f" (baseline {baseline[size] * 1e3:.3g} ms)" if size in baseline else "")
            for size, seconds in s.points
        ))  # fmt: skip
    return "\n".join(lines)


def markdown(title: str, context: list[str], rows: list[Row], series: list[Series], notes: list[str]) -> str:
    parts = [f"# {title}", "", *context, "", table(rows), "", "## Notes on each row", "", row_notes(rows)]
    if series:
        parts += ["", "## Growth (the numbers behind growth.png)", "", series_table(series)]
    for note in notes:
        parts += ["", note]
    return "\n".join(parts) + "\n"


def plot(path: Path, series: list[Series]) -> bool:
    """One panel per cost: milliseconds against the size of the work, subject and baseline per store.

    Returns False, drawing nothing, where matplotlib is not installed (`pip install -e '.[bench]'`).
    """
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels: dict[str, list[Series]] = defaultdict(list)
    for s in series:
        panels[s.title].append(s)
    if not panels:
        return False
    columns = min(3, len(panels))
    rows = -(-len(panels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(6 * columns, 4.5 * rows), squeeze=False)
    for ax, (title, group) in zip(axes.flat, panels.items(), strict=False):
        longest = max(seconds for s in group for _, seconds in [*s.points, *s.baseline_points])
        unit, scale = ("s", 1.0) if longest > 5 else ("ms", 1e3)
        for s in group:
            ax.plot(*_xy(s.points, scale), marker="o", label=f"{s.subject_label} ({s.store})")
            if s.baseline_points:
                label = f"{s.baseline_label} ({s.store})"
                ax.plot(*_xy(s.baseline_points, scale), marker="x", linestyle="--", label=label)
        ax.set_title(title)
        ax.set_xlabel(group[0].size_label)
        ax.set_ylabel(unit)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return True


def _xy(points: list[tuple[int, float]], scale: float) -> tuple[list[int], list[float]]:
    return [size for size, _ in points], [seconds * scale for _, seconds in points]
