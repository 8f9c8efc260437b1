"""The page at a past version of a long story, beside the page now as readers get it.

Both come from the live-page read model: a past page is `ReadQueries.page_at` (what `newsroom page
--version` runs), the present page `ReadQueries.page` (what `newsroom page` runs). The fold of the
story's events up to the version (`Newsroom.get_page`, the domain's answer) is in the note.
"""

from __future__ import annotations

from benchmarks.rows import Findings, Row, Series, at_most
from benchmarks.stores import fresh_store
from benchmarks.stories import grow_story
from benchmarks.timing import interleaved, median_time
from infrastructure.bootstrap import bootstrap

FIGURE = "the page at a past version of a {events:,}-event story"


def past_page(backend: str, size: int, runs: int, points: int = 4) -> Findings:
    """`ReadQueries.page_at` at versions spread over the story, each beside the read model's page now."""
    with fresh_store(backend) as store:
        newsroom = bootstrap(store.url)
        try:
            events = grow_story(newsroom.app, "long", size)
            newsroom.runner.catch_up()
            versions = _past_versions(size, points)
            series = Series(
                "page at a past version", "version of the page (events)", backend,
                "page at that version, read model",
                baseline_label=f"page now, read model ({events:,} events)",
            )  # fmt: skip
            for version in versions:
                paired = interleaved(
                    lambda v=version: newsroom.queries.page_at("long", v),
                    lambda: newsroom.queries.page("long"),
                    runs,
                )
                series.points.append((version, paired.subject))
                series.baseline_points.append((version, paired.baseline))
            fold_past = median_time(lambda: newsroom.app.get_page("long", versions[-1]), runs)
        finally:
            newsroom.close()
    row = Row(
        FIGURE.format(events=size),
        backend,
        paired.subject,
        "s",
        paired.baseline,
        f"the page now from the read model ({events:,} events)",
        at_most(3.0),
        f"version {versions[-1]:,}; median of {runs} interleaved; the same page folded from its "
        f"{versions[-1]:,} events takes {fold_past * 1e3:.0f} ms; the plot has versions "
        f"{', '.join(f'{v:,}' for v in versions)}",
    )
    return Findings(rows=[row], series=[series])


def _past_versions(size: int, points: int) -> list[int]:
    """Versions spread evenly up to one before the last."""
    return sorted({max(1, size * i // points - 1) for i in range(1, points + 1)})
