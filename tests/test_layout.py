"""The test tiers keep to their rooms: tests/unit is the domain only, and no test imports benchmarks/."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent


def _imports(path: Path, package: str) -> list[str]:
    pattern = re.compile(rf"^\s*(?:from|import) {package}\b", re.MULTILINE)
    return [m.group(0).strip() for m in pattern.finditer(path.read_text(encoding="utf-8"))]


def test_no_test_imports_a_benchmark_module() -> None:
    found = {str(p.relative_to(TESTS)): _imports(p, "benchmarks") for p in TESTS.rglob("*.py")}

    assert {path: lines for path, lines in found.items() if lines} == {}


def test_unit_tests_import_the_domain_and_nothing_outside_it() -> None:
    outside = ("infrastructure", "cli", "sqlalchemy", "click")
    found = {
        str(p.relative_to(TESTS)): [i for o in outside for i in _imports(p, o)]
        for p in (TESTS / "unit").glob("*.py")
    }

    assert {path: lines for path, lines in found.items() if lines} == {}
