"""Runs of consecutive update numbers (`domain/number_runs.py`): what they hold as numbers are
added in any order."""

from __future__ import annotations

import pytest

from domain import number_runs
from domain.number_runs import NumberRuns


def _added(*numbers: int) -> NumberRuns:
    runs: NumberRuns = []
    for number in numbers:
        runs = number_runs.adding(runs, number)
    return runs


def test_numbers_added_in_order_make_one_run() -> None:
    assert _added(1, 2, 3, 4) == [[1, 4]]


def test_a_missing_number_splits_the_runs() -> None:
    assert _added(2, 3, 5, 7, 8) == [[2, 3], [5, 5], [7, 8]]


def test_the_number_between_two_runs_joins_them() -> None:
    assert _added(1, 2, 4, 5, 3) == [[1, 5]]


def test_a_number_just_before_a_run_starts_it_earlier() -> None:
    assert _added(5, 6, 4, 1) == [[1, 1], [4, 6]]


def test_adding_a_number_held_already_changes_nothing() -> None:
    assert _added(1, 2, 3, 2, 1) == [[1, 3]]


def test_adding_leaves_the_runs_it_was_given_as_they_were() -> None:
    runs = [[1, 2], [4, 4]]

    number_runs.adding(runs, 3)

    assert runs == [[1, 2], [4, 4]]


@pytest.mark.parametrize(
    "number, held", [(0, False), (1, False), (2, True), (3, True), (4, False), (5, True), (6, False)]
)
def test_runs_hold_exactly_their_numbers(number: int, held: bool) -> None:
    assert number_runs.holds([[2, 3], [5, 5]], number) is held


def test_runs_of_numbers_in_any_order_with_repeats() -> None:
    assert number_runs.runs_of([5, 2, 3, 3, 9, 8]) == [[2, 3], [5, 5], [8, 9]]
    assert number_runs.runs_of([]) == []
