"""The reference in docs/: it builds as a site with no broken link or anchor and no page left out,
and the spec kit's example runs as written and its tests pass."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SPEC_KIT = ROOT / "docs" / "spec-kit.md"


def _spec_kit_example() -> str:
    [code] = re.findall(r"```python\n(.*?)```", SPEC_KIT.read_text(encoding="utf-8"), re.DOTALL)
    return code


def test_the_spec_kit_example_passes() -> None:
    namespace: dict[str, object] = {}
    exec(compile(_spec_kit_example(), str(SPEC_KIT), "exec"), namespace)  # noqa: S102

    tests = [test for name, test in namespace.items() if name.startswith("test_") and callable(test)]
    assert len(tests) == 2
    for test in tests:
        test()


def test_the_reference_builds_strictly(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "commands" / "index.html").is_file()


def test_every_page_in_docs_is_in_the_site_s_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {page.name for page in (ROOT / "docs").glob("*.md")}

    assert {page for page in pages if f" {page}\n" not in nav} == set()
