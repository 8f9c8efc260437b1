"""The layers keep to their rooms: `domain/` (and the spec kit that states its rules) imports no
persistence, no CLI and nothing outside the domain; tests/unit is the domain only; no test imports
benchmarks/."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
KEPT_OUT_OF_THE_DOMAIN = (
    "sqlalchemy", "click", "infrastructure", "cli", "eventsourcing.sqlite", "eventsourcing.postgres",
    "eventsourcing.popo", "sqlite3", "psycopg", "psycopg_pool",
)  # fmt: skip
"""What the domain may not import: SQL, the CLI, the outer layers, and the library's stores and
their drivers (which store a Newsroom runs on is the bootstrap's choice, not the domain's)."""
INNER_PACKAGES = ("domain", "spec_kit")


def _imports(path: Path, package: str) -> list[str]:
    pattern = re.compile(rf"^\s*(?:from|import) {package}\b", re.MULTILINE)
    return [m.group(0).strip() for m in pattern.finditer(path.read_text(encoding="utf-8"))]


def imported_modules(source: str) -> list[tuple[int, str]]:
    """Every module `source` imports (line, name), wherever the import stands: at the top, inside
    a function (a lazy import) or under `TYPE_CHECKING`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def kept_out(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in KEPT_OUT_OF_THE_DOMAIN)


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


@pytest.mark.parametrize("package", INNER_PACKAGES)
def test_no_domain_module_imports_persistence_the_cli_or_an_outer_layer(package: str) -> None:
    found = {
        f"{p.relative_to(ROOT)}:{line}": module
        for p in sorted((ROOT / package).rglob("*.py"))
        for line, module in imported_modules(p.read_text(encoding="utf-8"))
        if kept_out(module)
    }

    assert found == {}


def test_importing_every_domain_module_loads_no_persistence_cli_or_outer_layer() -> None:
    # In a fresh interpreter: what a module's imports pull in, however indirectly, counts too.
    script = (
        "import importlib, pkgutil, sys\n"
        f"for package in {INNER_PACKAGES!r}:\n"
        "    for module in pkgutil.walk_packages(importlib.import_module(package).__path__, package + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()

    assert [module for module in loaded if kept_out(module)] == []


def test_the_import_check_finds_lazy_aliased_and_type_checking_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import click as c\n"
        "if TYPE_CHECKING:\n"
        "    from sqlalchemy.engine import Engine\n"
        "def build():\n"
        "    from eventsourcing.sqlite import SQLiteFactory\n"
        "    import infrastructure.bootstrap\n"
        "from eventsourcing.domain import Aggregate\n"
        "from domain.story import Story\n"
    )

    found = [(line, module) for line, module in imported_modules(source) if kept_out(module)]

    assert sorted(found) == [
        (2, "click"), (4, "sqlalchemy.engine"), (6, "eventsourcing.sqlite"), (7, "infrastructure.bootstrap"),
    ]  # fmt: skip


def test_the_spec_kit_is_a_package_of_the_distribution_outside_the_domain() -> None:
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]

    assert "spec_kit*" in packages["packages"]["find"]["include"]
    assert not list((ROOT / "domain").rglob("*spec*.py"))
