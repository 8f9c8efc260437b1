"""The README is for newcomers: it opens with the two set-up commands CI runs, it leaves the
reference to docs/, and every link in it leads to a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
SET_UP = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'"


def _first_code_block() -> list[str]:
    [block] = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)[:1]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_the_readme_opens_with_the_two_set_up_commands() -> None:
    first, second = _first_code_block()

    assert first.startswith(SET_UP + " && .venv/bin/newsroom seed && .venv/bin/newsroom page ")
    assert second == SET_UP + " && .venv/bin/python -m pytest"


def test_ci_runs_the_readme_s_second_command_verbatim() -> None:
    _, second = _first_code_block()

    assert second in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_every_link_in_the_readme_leads_to_a_file_that_exists() -> None:
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README.read_text(encoding="utf-8"))

    assert len(links) > 10
    assert [link for link in links if "://" not in link and not (ROOT / link).is_file()] == []


def test_the_reference_is_in_docs_not_in_the_readme() -> None:
    headings = re.findall(r"^## (.+)$", README.read_text(encoding="utf-8"), re.MULTILINE)

    assert headings == [
        "A ten-minute tour",
        "Every change signed by its author",
        "How an outside auditor checks it",
        "Read more",
    ]
