"""What a benchmark run measures: the sizes of the work and how often each measurement is repeated,
for a full run (`FULL`) and for the quick mode that only proves every benchmark still runs (`QUICK`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plan:
    """The sizes of the work and how often each measurement is repeated."""

    quick: bool
    story_sizes: list[int] = field(default_factory=lambda: [1_000, 2_500, 5_000, 10_000])
    write_runs: int = 200
    long_story_runs: int = 15
    process_runs: int = 15
    time_travel_runs: int = 9
    concurrency_rounds: int = 5
    concurrency_posts: int = 100
    floor_events: int = 20_000
    floor_runs: int = 5
    intervals: list[int] = field(default_factory=lambda: [5, 10, 20, 50, 100, 200])
    interval_runs: int = 5
    page_updates: int = 2_000
    page_runs: int = 15
    rebuild_sizes: list[int] = field(default_factory=lambda: [100_000, 1_000_000])
    audit_events: int = 1_000_000
    audit_runs: int = 1
    roster_staff: int = 500
    roster_changes: int = 10_000
    signing_events: int = 20_000
    encryption_events: int = 20_000
    encryption_runs: int = 9
    process_row_runs: int = 9
    process_read_updates: list[int] = field(default_factory=lambda: [20, 2_000])
    lag_events: int = 50_000
    lag_story_events: int = 1_000
    lag_runs: int = 3
    storage_stories: int = 5
    storage_posts: int = 1_000
    """Posts in each of `storage_stories` stories, for the storage rows."""
    process_warmup: int = 1

    @property
    def story_events(self) -> int:
        """The table's long story: the largest of the sizes."""
        return max(self.story_sizes)


FULL = Plan(quick=False)
QUICK = Plan(
    quick=True,
    story_sizes=[40, 120],
    write_runs=6,
    long_story_runs=2,
    process_runs=1,
    time_travel_runs=2,
    concurrency_rounds=1,
    concurrency_posts=3,
    floor_events=200,
    floor_runs=1,
    intervals=[20, 60],
    interval_runs=1,
    page_updates=20,
    page_runs=2,
    rebuild_sizes=[100, 200],
    audit_events=200,
    roster_staff=20,
    roster_changes=60,
    signing_events=100,
    encryption_events=200,
    encryption_runs=1,
    process_row_runs=1,
    process_read_updates=[20],
    lag_events=300,
    lag_story_events=100,
    lag_runs=1,
    storage_stories=2,
    storage_posts=20,
    process_warmup=0,
)
