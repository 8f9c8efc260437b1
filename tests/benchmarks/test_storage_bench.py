"""The storage benchmark still runs, tiny: the newsroom's store against a bare-library store of the
same posts, measured in the same run. Sizes are never asserted, only that both sides were measured."""

from __future__ import annotations

import re

import pytest

from tests.benchmarks.processes import available_stores, run_benchmark

AGAINST_BARE = "storage per post vs a bare-library store of the same posts"
AGAINST_BARE_AND_PAGES = "storage per post vs a bare-library store plus a plain page table"
ROW = re.compile(
    r"^\| (?P<figure>[^|]+) \| (?P<store>\w+) \| (?P<ours>[\d,]+) B \| (?P<baseline>[\d,]+) B \([^|]*\) "
    r"\| (?P<ratio>[\d.]+)x \| (?P<target>[^|]+) \|",
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def printed() -> str:
    return run_benchmark("benchmarks.storage_bench", "--stories", "2", "--posts", "12")


def _rows(printed: str) -> dict[tuple[str, str], dict[str, str]]:
    return {(m["figure"], m["store"]): m.groupdict() for m in ROW.finditer(printed)}


def test_each_store_is_measured_against_a_bare_store_of_the_same_posts(printed: str) -> None:
    rows = _rows(printed)

    for store in available_stores():
        row = rows[(AGAINST_BARE, store)]
        assert int(row["baseline"].replace(",", "")) > 0 and float(row["ratio"]) > 0
        assert row["target"].strip() == "≤ 1.50x"


def test_the_row_with_a_plain_page_table_is_reported_without_a_target(printed: str) -> None:
    rows = _rows(printed)

    for store in available_stores():
        row, bare = rows[(AGAINST_BARE_AND_PAGES, store)], rows[(AGAINST_BARE, store)]
        assert int(row["baseline"].replace(",", "")) > int(bare["baseline"].replace(",", ""))
        assert row["target"].strip() == "–"


def test_the_newsroom_store_measured_is_staffed_and_sealed_as_checked(printed: str) -> None:
    for store in available_stores():
        [note] = [line for line in printed.splitlines() if line.startswith(f"- {AGAINST_BARE} ({store})")]
        assert "24 posts in 2 stories of 12" in note
        assert "every post by the editor records its role, checked" in note
        assert "every post's title and body under its update's key, checked" in note
