"""The validation rules' character classes agree with Unicode's own categories."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from domain import rules
from domain.errors import InvalidInput


def _is_control(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Cs") or c in "\u2028\u2029"


CONTROLS = [chr(n) for n in range(sys.maxunicode + 1) if _is_control(chr(n))]


def test_a_line_refuses_exactly_the_control_characters_surrogates_and_separators() -> None:
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if not rules._printable_line(c)] == CONTROLS


@pytest.mark.parametrize("c", CONTROLS[:40] + ["\ud800", "\u2028", "\u2029"], ids=lambda c: f"U+{ord(c):04X}")
def test_free_text_refuses_control_characters_but_newlines_and_tabs(c: str) -> None:
    if c in "\n\t":
        assert rules.valid_text("body", f"a{c}b", 100) == f"a{c}b"
    else:
        with pytest.raises(InvalidInput, match="control characters"):
            rules.valid_text("body", f"a{c}b", 100)
