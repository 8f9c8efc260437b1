"""A command, declared once beside the application method that makes it: its stable id, the
roles that may make it and what it does in the newsroom's words.

The permission check, a refusal's words and a request record all read the declaration; the CLI
adds its own words to it (`cli.write_options.request_id_for`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Command:
    """What the newsroom knows of a command besides its arguments."""

    id: str
    """Stable: a request records it (`CommandRequest.command`), so it never follows a rename."""
    roles: frozenset[str]
    """The roles that may make it, once the store has an admin (`domain.roles.Badge`)."""
    action: str
    """What it does, for a refusal: "correct a quote"."""


_RUNNING: ContextVar[Command | None] = ContextVar("running command", default=None)


def command(command_id: str, *roles: str, action: str) -> Callable[[F], F]:
    """Declares the decorated application method as the command `command_id`: while it runs,
    `running()` is its declaration, which the shared change base checks and records."""
    declared = Command(command_id, frozenset(roles), action)

    def declare(method: F) -> F:
        @wraps(method)
        def run(*args: Any, **kwargs: Any) -> Any:
            # In a context of its own: what the command sets for itself (the key its events are
            # signed with, `domain.signing.sign_as`) ends with it.
            return copy_context().run(_made, declared, method, args, kwargs)

        run.declared = declared  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return declare


def _made(declared: Command, method: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    with _making(declared):
        return method(*args, **kwargs)


@contextmanager
def _making(declared: Command) -> Iterator[None]:
    token = _RUNNING.set(declared)
    try:
        yield
    finally:
        _RUNNING.reset(token)


def running() -> Command:
    """The declaration of the command being made now (in this thread or task)."""
    declared = _RUNNING.get()
    assert declared is not None, "called from an application method declared with @command"
    return declared


def declared_commands(cls: type) -> dict[str, Command]:
    """Every command `cls` declares (its methods', inherited ones too), by id."""
    found = (getattr(value, "declared", None) for klass in cls.__mro__ for value in vars(klass).values())
    commands = [c for c in found if isinstance(c, Command)]
    by_id = {c.id: c for c in commands}
    assert len(by_id) == len(set(commands)), "two methods declare the same command id"
    return by_id
