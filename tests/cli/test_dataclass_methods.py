"""The methods `dataclasses` writes for each class are compiled once and kept beside the bytecode:
the next process runs the kept code, and the classes behave as if compiled afresh."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import subprocess
import sys
from dataclasses import FrozenInstanceError, dataclass
from pathlib import Path

import pytest

from cli.dataclass_methods import CompiledMethods

ROOT = Path(__file__).parents[2]
IMPORT_THE_STORY_AND_COUNT = """
import sys
from pathlib import Path
from cli import dataclass_methods
methods = dataclass_methods.install(Path(sys.argv[1]))
import domain.story
print(methods.compiled)
methods.save()
"""


def _define_point(methods: CompiledMethods, monkeypatch: pytest.MonkeyPatch) -> type:
    monkeypatch.setattr(dataclasses, "exec", methods.exec, raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as where bytecode is written

    @dataclass(frozen=True)
    class Point:
        x: int
        y: int = 0

    return Point


def _compiled_in_a_process(path: Path, **env: str) -> int:
    argv = [sys.executable, "-c", IMPORT_THE_STORY_AND_COUNT, str(path)]
    env = {**os.environ, **env}
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_a_class_made_from_kept_code_behaves_as_one_compiled_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = CompiledMethods(tmp_path / "methods.marshal")
    _define_point(first, monkeypatch)
    first.save()

    again = CompiledMethods(tmp_path / "methods.marshal")
    point = _define_point(again, monkeypatch)

    assert first.compiled == 0 and again.compiled == 0  # saved, then nothing new to compile
    assert set(again.used) <= set(first.kept) and again.used
    assert point(1, 2) == point(1, 2) and point(1) != point(2)
    assert hash(point(1, 2)) == hash(point(1, 2))
    assert repr(point(1, 2)).endswith("Point(x=1, y=2)")
    # compiled as `dataclasses` compiles them, not under this module's postponed annotations
    assert point.__init__.__annotations__ == {"x": "int", "y": "int", "return": None}
    with pytest.raises(FrozenInstanceError):
        point(1).x = 3  # type: ignore[misc]


def test_the_next_process_compiles_none_of_the_story_events_methods(tmp_path: Path) -> None:
    path = tmp_path / "methods.marshal"
    env = {"PYTHONDONTWRITEBYTECODE": ""}
    assert _compiled_in_a_process(path, **env) > 50  # every event class's methods, and more
    assert _compiled_in_a_process(path, **env) == 0


def test_nothing_is_kept_where_bytecode_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "methods.marshal"
    _compiled_in_a_process(path, PYTHONDONTWRITEBYTECODE="1")
    assert not path.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal at all", b"\x00\x00\r\n" + b"x" * 40, importlib.util.MAGIC_NUMBER + b"\xff\x00"],
    ids=["empty", "garbage", "another-python", "truncated"],
)
def test_a_file_that_is_not_kept_code_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    path = tmp_path / "methods.marshal"
    path.write_bytes(content)
    methods = CompiledMethods(path)
    point = _define_point(methods, monkeypatch)

    assert methods.compiled > 0
    assert point(1, 2) == point(1, 2)
    methods.save()
    assert CompiledMethods(path).kept.keys() == methods.kept.keys()


def test_the_newsroom_command_runs_kept_code_kept_beside_its_bytecode() -> None:
    script = (
        "import dataclasses\n"
        "from click.testing import CliRunner\n"
        "from cli.main import newsroom\n"
        "CliRunner().invoke(newsroom, ['--help'])\n"
        "kept = getattr(dataclasses.__dict__.get('exec'), '__self__', None)\n"
        "print(type(kept).__name__, kept.path if kept else None)\n"
    )
    argv = [sys.executable, "-c", script]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
    kind, path = done.stdout.split()
    assert kind == "CompiledMethods"
    assert Path(path).parent == ROOT / "cli" / "__pycache__"
