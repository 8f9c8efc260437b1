"""A word-level diff of two rendered texts, built on the standard library's difflib.

Unchanged lines around a change are shown with two spaces; a changed line with "~" and its words
marked `[-removed-]` and `{+added+}`; a line only in the old text with "-", only in the new with "+".
"""

from __future__ import annotations

import difflib

CONTEXT_LINES = 2
REWRITE_RATIO = 0.4
"""Below this share of words in common, several changed lines are shown removed and added whole."""


def word_diff(old: str, new: str, *, context: int = CONTEXT_LINES) -> list[str]:
    """The lines of the diff from `old` to `new`, in hunks headed `@@ -line,count +line,count @@`."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    output: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        output.append(f"@@ -{first[1] + 1},{last[2] - first[1]} +{first[3] + 1},{last[4] - first[3]} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                output += [f"  {line}" for line in old_lines[i1:i2]]
            elif tag == "delete":
                output += _removed(old_lines[i1:i2])
            elif tag == "insert":
                output += _added(new_lines[j1:j2])
            else:
                output += _changed_lines(old_lines[i1:i2], new_lines[j1:j2])
    return output


def _removed(lines: list[str]) -> list[str]:
    return [f"- [-{line}-]" if line.strip() else "-" for line in lines]


def _added(lines: list[str]) -> list[str]:
    return [f"+ {{+{line}+}}" if line.strip() else "+" for line in lines]


def _changed_lines(old_lines: list[str], new_lines: list[str]) -> list[str]:
    """The new lines with their words compared to the old ones; removed words where they were."""
    old_words = [word for line in old_lines for word in line.split()]
    new_words: list[str] = []
    line_of: list[int] = []
    for number, line in enumerate(new_lines):
        for word in line.split():
            new_words.append(word)
            line_of.append(number)
    parts: list[list[str]] = [[] for _ in new_lines]
    current = 0
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    if len(old_lines) + len(new_lines) > 4 and matcher.ratio() < REWRITE_RATIO:
        # Mostly rewritten: whole lines out and in read better than a patchwork of words.
        return _removed(old_lines) + _added(new_lines)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            parts[current].append(f"[-{' '.join(old_words[i1:i2])}-]")
        if tag == "equal":
            for j in range(j1, j2):
                parts[line_of[j]].append(new_words[j])
            current = line_of[j2 - 1]
        elif tag in ("insert", "replace"):
            for number in sorted(set(line_of[j1:j2])):
                words = [new_words[j] for j in range(j1, j2) if line_of[j] == number]
                parts[number].append(f"{{+{' '.join(words)}+}}")
            current = line_of[j2 - 1]
    indents = [line[: len(line) - len(line.lstrip())] for line in new_lines]
    return [f"~ {indent}{' '.join(words)}" for indent, words in zip(indents, parts, strict=True) if words]
