"""The methods Python writes for each dataclass, compiled once and kept beside the bytecode cache.

For every dataclass, and so for every event class (the library makes each one a frozen
dataclass), the standard library's `dataclasses` writes `__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__` and `__delattr__` as source text and compiles it with `exec` when the
class is defined: about half a millisecond a class, and the larger part of what a command's
imports cost beside a bare library script (the newsroom defines some 80 dataclasses, most of
them events). The same text always compiles to the same code, so a process keeps the code it
compiled in one file beside the package's bytecode (`__pycache__`, where Python keeps every
module's compiled code, under the same rules: the interpreter's cache tag and magic number, and
nothing written when bytecode is not) and the next process runs the kept code instead of
compiling the text again. What a class is, and does, is unchanged: only the compiling is saved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

KEPT_AT_MOST = 4096
"""Entries the file keeps before it starts again from one process's own (text the code no longer
writes is never asked for again)."""


class CompiledMethods:
    """The code compiled from each source text `dataclasses` executes, read from and saved to `path`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.kept: dict[str, CodeType] = _read(path)
        self.used: dict[str, CodeType] = {}
        self.compiled = 0
        """Texts compiled since the file was last read or saved (0: nothing to save)."""

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:  # noqa: A002
        """`exec` as `dataclasses` calls it, the text compiled once; anything else passes through."""
        if type(source) is not str:
            exec(source, globals, locals)  # noqa: S102
            return
        code = self.kept.get(source)
        if code is None:
            # dont_inherit: compiled as `exec` compiles the text in `dataclasses`, not with this
            # module's `from __future__ import annotations`.
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.kept[source] = code
            self.compiled += 1
        self.used[source] = code
        exec(code, globals, locals)  # noqa: S102

    def save(self) -> None:
        """Writes the kept code, if anything was compiled, atomically; quietly not at all where
        bytecode is not written or the folder cannot be written, as Python does for modules."""
        if not self.compiled or self.path is None or sys.dont_write_bytecode:
            return
        kept = self.kept if len(self.kept) <= KEPT_AT_MOST else self.used
        import tempfile  # only a process that compiled something writes

        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=self.path.name, delete=False) as out:
                written = Path(out.name)
                out.write(importlib.util.MAGIC_NUMBER + marshal.dumps(kept))
            written.chmod(os.stat(__file__).st_mode & 0o666)  # as Python writes a module's
            written.replace(self.path)
        except OSError:
            with contextlib.suppress(NameError, OSError):
                written.unlink(missing_ok=True)
            return
        self.compiled = 0


_installed: CompiledMethods | None = None


def install(path: Path | None = None) -> CompiledMethods:
    """Makes `dataclasses` compile each method's text once (kept in `path`; by default beside
    this package's bytecode); idempotent. The process saves what it compiled with `save()`."""
    global _installed
    if _installed is None:
        _installed = CompiledMethods(path if path is not None else default_path())
        dataclasses.exec = _installed.exec  # type: ignore[attr-defined]
    return _installed


def default_path() -> Path | None:
    """Beside this package's bytecode, named for the interpreter and its optimisation level."""
    try:
        module_cache = Path(importlib.util.cache_from_source(__file__))
    except NotImplementedError:  # an interpreter without a bytecode cache
        return None
    level = f".opt-{sys.flags.optimize}" if sys.flags.optimize else ""
    return module_cache.parent / f"dataclass-methods.{sys.implementation.cache_tag}{level}.marshal"


def _read(path: Path | None) -> dict[str, CodeType]:
    """The kept code; nothing if the file is missing, unreadable, of another Python or not ours."""
    if path is None:
        return {}
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    magic = importlib.util.MAGIC_NUMBER
    if not data.startswith(magic):
        return {}
    try:
        kept = marshal.loads(data[len(magic) :])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {text: code for text, code in kept.items() if isinstance(text, str) and isinstance(code, CodeType)}
