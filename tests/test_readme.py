"""The README's spec kit example runs as written, and its tests pass."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"
SECTION = "## Writing your own rules and checks: the spec kit"


def _example() -> str:
    section = README.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    return code


def test_the_readme_s_spec_kit_example_passes() -> None:
    namespace: dict[str, object] = {}
    exec(compile(_example(), str(README), "exec"), namespace)  # noqa: S102

    tests = [test for name, test in namespace.items() if name.startswith("test_") and callable(test)]
    assert len(tests) == 2
    for test in tests:
        test()
