"""Golden files: every read command of the CLI, in each of its forms, byte for byte, over two
stores built through the application with an exact clock (`tests/golden/stores.py`): the seed
story and a long random history (about 390 events over three stories).

Each store is built on SQLite and on PostgreSQL (`store_url`) and both must print the very same
bytes, notification positions in `log` and `audit export` included (one writer, no rolled-back
inserts, so neither store leaves a gap). A mismatch fails with a unified diff per file.

To (re)write the files after a deliberate change of output:

    NEWSROOM_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/golden

The first store to run writes them (and removes files no form produces any more); every later
store in the same run is still compared with what was written, so SQLite and PostgreSQL cannot
quietly disagree. Review the change with `git diff tests/golden/expected`.

What is not the store's own is normalised, and only in the forms that print it: the wall-clock
time a seal is made (`<SEALED_AT>`) and the temporary paths of the files written (`<TMP>`).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import newsroom
from tests.golden.stores import (
    SEED_SLUG,
    STORIES,
    build,
    moment,
    random_history,
    seed_story,
)

EXPECTED = Path(__file__).parent / "expected"
UPDATE_VAR = "NEWSROOM_GOLDEN_UPDATE"
_written_this_run: set[Path] = set()
"""Files written in this run's update mode: later stores are compared with them, not written."""


@dataclass(frozen=True)
class Form:
    """One command line and the file its output is kept in.

    `args` may name `{last}` and `{prev}` (the story's last version and the one before) and
    `{tmp}` (a folder for files the command writes). A refused form keeps its exit code and stderr.
    """

    file: str
    args: tuple[str, ...]
    exit_code: int = 0
    normalise: Callable[[str], str] | None = None
    written: str | None = None
    """A file the command writes (under `{tmp}`) whose content is the golden output instead."""


def _sealed_at(text: str) -> str:
    # A seal records the wall-clock time it was made, which no clock of ours reaches.
    text = re.sub(r'"sealed_at": "[^"]*"', '"sealed_at": "<SEALED_AT>"', text)
    text = re.sub(r"the seal of \S+ \(digest", "the seal of <SEALED_AT> (digest", text)
    return re.sub(r"sealed (\d+ stor(?:y|ies)) at \S+ into", r"sealed \1 at <SEALED_AT> into", text)


def _at(n: int, *, plus: timedelta = timedelta(0)) -> str:
    return (moment(n) + plus).isoformat().replace("+00:00", "Z")


def story_forms(slug: str, prefix: str = "") -> list[Form]:
    """The forms that read one story whole."""
    return [
        Form(f"{prefix}page.txt", ("page", slug)),
        Form(f"{prefix}page.json", ("page", slug, "--format", "json")),
        Form(f"{prefix}page.html", ("page", slug, "--format", "html")),
        Form(f"{prefix}history.txt", ("history", slug)),
        Form(f"{prefix}history.json", ("history", slug, "--format", "json")),
        Form(f"{prefix}events.txt", ("events", slug)),
        Form(f"{prefix}events.json", ("events", slug, "--format", "json")),
        Form(f"{prefix}log-story.txt", ("log", "--story", slug)),
    ]


def store_forms(
    slug: str,
    *,
    versions: tuple[int, ...],
    updates: tuple[int, ...],
    at: list[tuple[str, str]],
    diffs: tuple[tuple[str, str], ...],
    editor: str,
    since: str,
    until: str,
) -> list[Form]:
    """Every read form over a store whose main story is `slug`, in the order they run."""
    forms = [Form("projections-status-before-reads.txt", ("projections", "status"))]
    forms += story_forms(slug)
    for v in (*map(str, versions), "prev", "last"):
        forms.append(Form(f"page-version-{v}.txt", ("page", slug, "--version", _version(v))))
    forms += [
        Form("page-version-1.json", ("page", slug, "--version", "1", "--format", "json")),
        Form("page-version-1.html", ("page", slug, "--version", "1", "--format", "html")),
        Form("page-version-last.json", ("page", slug, "--version", "{last}", "--format", "json")),
        Form("page-version-prev.html", ("page", slug, "--version", "{prev}", "--format", "html")),
    ]
    for name, time in at:
        forms.append(Form(f"page-at-{name}.txt", ("page", slug, "--at", time)))
    forms.append(Form(f"page-at-{at[0][0]}.json", ("page", slug, "--at", at[0][1], "--format", "json")))
    for number in updates:
        forms.append(Form(f"history-update-{number}.txt", ("history", slug, "--update", str(number))))
        forms.append(
            Form(
                f"history-update-{number}.json",
                ("history", slug, "--update", str(number), "--format", "json"),
            )
        )
    for a, b in diffs:
        forms.append(Form(f"diff-{a}-{b}.txt", ("diff", slug, _version(a), _version(b))))
    forms += [
        Form("story-list.txt", ("story", "list")),
        Form("story-list.json", ("story", "list", "--format", "json")),
        Form("log.txt", ("log",)),
        Form("log.json", ("log", "--format", "json")),
        Form("log.jsonl", ("log", "--format", "jsonl")),
        Form("log-story.json", ("log", "--story", slug, "--format", "json")),
        Form("log-editor.txt", ("log", "--editor", editor)),
        Form("log-editor.json", ("log", "--editor", editor, "--format", "json")),
        Form("log-type-UpdatePosted.txt", ("log", "--type", "UpdatePosted")),
        Form("log-type-QuoteCorrected.json", ("log", "--type", "QuoteCorrected", "--format", "json")),
        Form("log-since-until.txt", ("log", "--since", since, "--until", until)),
        Form(
            "log-story-editor-type.txt",
            ("log", "--story", slug, "--editor", editor, "--type", "UpdatePosted"),
        ),
        Form("log-nobody.txt", ("log", "--editor", "nobody at all")),
        Form("log-nobody.json", ("log", "--editor", "nobody at all", "--format", "json")),
        Form("editors.txt", ("editors",)),
        Form("editors.json", ("editors", "--format", "json")),
        Form("audit-verify.txt", ("audit", "verify")),
        Form("audit-verify.json", ("audit", "verify", "--format", "json")),
        Form("audit-verify-story.txt", ("audit", "verify", slug)),
        Form("audit-replay.txt", ("audit", "replay")),
        Form("audit-replay.json", ("audit", "replay", "--format", "json")),
        Form("audit-replay-story.txt", ("audit", "replay", slug)),
        Form("audit-export.jsonl", ("audit", "export")),
        # The stdout names the file written, a temporary path.
        Form("audit-export-out.txt", ("audit", "export", "--out", "{tmp}/record.jsonl"), normalise=_no_tmp),
        Form(
            "audit-export-file.jsonl",
            ("audit", "export", "--out", "{tmp}/again.jsonl"),
            written="again.jsonl",
        ),
        Form("audit-verify-export.txt", ("audit", "verify", "--export", "{tmp}/record.jsonl")),
        Form(
            "audit-verify-export.json",
            ("audit", "verify", "--export", "{tmp}/record.jsonl", "--format", "json"),
        ),
        Form("audit-seal.json", ("audit", "seal"), normalise=_sealed_at),
        Form(
            "audit-seal-out.txt",
            ("audit", "seal", "--out", "{tmp}/seal.json"),
            normalise=lambda t: _sealed_at(_no_tmp(t)),
        ),
        Form("audit-verify-seal.txt", ("audit", "verify", "--seal", "{tmp}/seal.json"), normalise=_sealed_at),
        Form(
            "audit-verify-seal.json",
            ("audit", "verify", "--seal", "{tmp}/seal.json", "--format", "json"),
            normalise=_sealed_at,
        ),
        Form("projections-status.txt", ("projections", "status")),
        Form("projections-status.json", ("projections", "status", "--format", "json")),
        Form("refused-page-unknown-story.txt", ("page", "no-such-story"), exit_code=1),
        Form("refused-events-unknown-story.txt", ("events", "no-such-story"), exit_code=1),
        Form("refused-history-unknown-story.txt", ("history", "no-such-story"), exit_code=1),
        Form("refused-page-version-beyond.txt", ("page", slug, "--version", "999"), exit_code=1),
        Form("refused-page-at-before-open.txt", ("page", slug, "--at", "2013-05-10T08:00:00Z"), exit_code=1),
        Form("refused-history-update-beyond.txt", ("history", slug, "--update", "999"), exit_code=1),
        Form("refused-diff-version-beyond.txt", ("diff", slug, "1", "999"), exit_code=1),
    ]
    return forms


def _version(name: str) -> str:
    """A version number as given, or `{last}`/`{prev}` for `last`/`prev`."""
    return name if name.isdigit() else "{" + name + "}"


def _no_tmp(text: str) -> str:
    # The temporary folder a file is written to differs on every run.
    return re.sub(r"\S*/(record\.jsonl|seal\.json)", r"<TMP>/\1", text)


SEED_FORMS = store_forms(
    SEED_SLUG,
    versions=(1, 2, 4),
    updates=(1, 5),
    # The seed's commands: 0 opens the story, 1 publishes it, 2 to 6 post its five updates.
    at=[
        ("between-posts", _at(4, plus=timedelta(milliseconds=500))),
        ("first-post-exactly", _at(2)),
        ("no-zone", _at(3).removesuffix("Z")),
        ("after-last", _at(6, plus=timedelta(days=1))),
    ],
    diffs=(("1", "last"), ("2", "3"), ("prev", "last"), ("last", "1"), ("3", "3")),
    editor="seed",
    since=_at(3),
    until=_at(5),
)
MAIN, OTHERS = STORIES[0][0], [slug for slug, _, _ in STORIES[1:]]
RANDOM_FORMS = store_forms(
    MAIN,
    versions=(1, 2, 5, 10, 11, 12, 13, 14, 50, 100),
    updates=(1, 2, 3, 10),
    at=[
        ("between-commands", _at(41, plus=timedelta(microseconds=1))),
        ("command-exactly", _at(20)),
        ("retracted-pinned", _at(13)),
        ("no-zone", _at(150).removesuffix("Z")),
        ("after-last", _at(400, plus=timedelta(hours=5))),
    ],
    diffs=(("1", "last"), ("10", "12"), ("12", "14"), ("prev", "last"), ("last", "1")),
    editor="Zoë Ångström",
    since=_at(100),
    until=_at(140),
) + [form for slug in OTHERS for form in story_forms(slug, prefix=f"{slug}.")]

STORES = {"seed": (seed_story, SEED_FORMS), "random": (random_history, RANDOM_FORMS)}


def run_forms(url: str, forms: list[Form], tmp: Path) -> dict[str, bytes]:
    """Runs every form through the real CLI, in order; the output each keeps, by file name."""
    runner = CliRunner()
    versions: dict[str, int] = {}
    outputs: dict[str, bytes] = {}
    for form in forms:
        if not versions and any("{last}" in a or "{prev}" in a for a in form.args):
            versions.update(_versions(runner, url))  # after the status before any read
        last = versions.get(form.args[1], 0) if len(form.args) > 1 else 0
        args = [a.format(last=last, prev=last - 1, tmp=tmp) for a in form.args]
        result = runner.invoke(newsroom, ["--db", url, *args], catch_exceptions=False)
        assert result.exit_code == form.exit_code, (form.file, result.stdout, result.stderr)
        if form.exit_code == 0:
            assert result.stderr == "", (form.file, result.stderr)
            output = result.stdout_bytes
        else:
            output = (
                f"exit code: {result.exit_code}\nstderr:\n{result.stderr}stdout:\n{result.stdout}".encode()
            )
        if form.written is not None:
            output = (tmp / form.written).read_bytes()
        if form.normalise is not None:
            output = form.normalise(output.decode()).encode()
        outputs[form.file] = output
    return outputs


def _versions(runner: CliRunner, url: str) -> dict[str, int]:
    listed = runner.invoke(
        newsroom, ["--db", url, "story", "list", "--format", "json"], catch_exceptions=False
    )
    return {story["slug"]: story["version"] for story in json.loads(listed.stdout)}


@pytest.mark.parametrize("store", sorted(STORES))
def test_every_read_output_matches_its_golden_file(store_url: str, store: str, tmp_path: Path) -> None:
    fill, forms = STORES[store]
    build(store_url, fill)
    files = tmp_path / "files"
    files.mkdir()
    outputs = run_forms(store_url, forms, files)
    folder = EXPECTED / store
    if os.environ.get(UPDATE_VAR) and folder not in _written_this_run:
        _write(folder, outputs)
        return
    problems = [_compare(folder / name, output) for name, output in outputs.items()]
    stale = sorted(p.name for p in folder.glob("*") if p.name not in outputs)
    problems += [f"{folder / name}: no form produces it any more" for name in stale]
    found = [p for p in problems if p]
    assert not found, (
        f"{len(found)} of {len(outputs)} golden files differ ({UPDATE_VAR}=1 rewrites them):\n"
        + "\n".join(found)
    )


def _write(folder: Path, outputs: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*"):
        if path.name not in outputs:
            path.unlink()
    for name, output in outputs.items():
        (folder / name).write_bytes(output)
    _written_this_run.add(folder)


def _compare(path: Path, output: bytes) -> str:
    if not path.exists():
        return f"{path}: missing"
    expected = path.read_bytes()
    if expected == output:
        return ""
    diff = difflib.unified_diff(
        expected.decode(errors="replace").splitlines(keepends=True),
        output.decode(errors="replace").splitlines(keepends=True),
        fromfile=f"{path} (expected)",
        tofile=f"{path.name} (this run)",
    )
    lines = list(diff)
    shown = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines[:200]
    )
    if not lines:
        shown = f"(same text, different bytes: {expected[:80]!r}... vs {output[:80]!r}...)\n"
    return shown + (f"... {len(lines) - 200} more diff lines\n" if len(lines) > 200 else "")
