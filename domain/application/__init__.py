"""The Newsroom application: the editors' commands and the get_* queries over stories, one module
per family of commands over one shared change base (`base`).

Each command is declared once, on its method (`domain.commands.command`): its stable id, the
roles that may make it and its words for a refusal. `COMMANDS` is every declaration, by id.
"""

from __future__ import annotations

from domain.application.base import CONFLICT_RETRIES, Clock, RetryAtOnce, RetryPolicy, _fold_story
from domain.application.schedule import ScheduleCommands
from domain.application.staff import StaffCommands
from domain.application.stories import StoryCommands
from domain.application.submissions import SubmissionCommands
from domain.application.takedowns import TakedownCommands
from domain.application.updates import UpdateCommands
from domain.commands import Command, declared_commands


class Newsroom(
    StoryCommands, UpdateCommands, TakedownCommands, SubmissionCommands, ScheduleCommands, StaffCommands
):
    """Commands editors give and queries that read stories back from their events."""

    name = "Newsroom"


COMMANDS: dict[str, Command] = declared_commands(Newsroom)
"""Every command the application declares, by its stable id."""

__all__ = [
    "COMMANDS",
    "CONFLICT_RETRIES",
    "Clock",
    "Newsroom",
    "RetryAtOnce",
    "RetryPolicy",
    "_fold_story",
]
