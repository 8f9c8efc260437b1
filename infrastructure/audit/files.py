"""Writing seals and exports: never over an existing file, and never left half-written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from infrastructure.audit.errors import AuditFileUnwritable

T = TypeVar("T")


def write_new_file(path: Path, write: Callable[[TextIO], T]) -> T:
    """Runs `write` on a new UTF-8 file at `path`; the file appears only once it is whole.

    An existing file is refused: an auditor's earlier seal or export must not be lost to a typo.
    """
    try:
        # Claims the name first, so that a second writer or an existing file is refused up front.
        path.open("x", encoding="utf-8").close()
    except FileExistsError:
        raise AuditFileUnwritable(path, "it already exists; choose another --out") from None
    except OSError as error:
        raise AuditFileUnwritable(path, error.strerror or str(error)) from None
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as out:
            result = write(out)
        os.replace(partial, path)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise AuditFileUnwritable(path, error.strerror or str(error)) from None
        raise
    return result
