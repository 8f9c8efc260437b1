"""A command is declared once, on its application method: the declaration is what the permission
check, a refusal and a request record read, and its id is history once a request recorded it."""

from __future__ import annotations

import inspect

import pytest

from domain.application import COMMANDS, Newsroom
from domain.commands import Command, command, declared_commands, running
from domain.request import COMMAND_IDS_OF_VERSION_1

RECORDED_IDS = {
    "open_story", "change_headline", "change_standfirst", "change_time_zone", "publish_story",
    "close_story", "reopen_story", "post_update", "revise_update", "correct_quote", "retract_update",
    "pin_update", "unpin_update", "mark_key_event", "take_down_update", "take_down_submission",
    "take_down_scheduled_post", "submit_update", "revise_submission", "withdraw_submission",
    "approve_submission", "reject_submission", "schedule_update", "reschedule_update",
    "unschedule_update", "schedule_publication", "unschedule_publication",
}  # fmt: skip
"""The ids stored request records hold (`CommandRequest.command`): a method may be renamed, but
its command keeps its id, or a repeat of an old request would no longer be recognised."""


class Desk:
    @command("file_copy", "editor", action="file copy")
    def file(self, words: str) -> Command:
        """Files copy."""
        return running()


def test_while_a_declared_method_runs_its_declaration_is_the_running_command() -> None:
    assert Desk().file("words") == Command("file_copy", frozenset({"editor"}), "file copy")


def test_no_command_is_running_outside_a_declared_method() -> None:
    Desk().file("words")

    with pytest.raises(AssertionError):
        running()


def test_a_declared_method_keeps_its_name_signature_and_docstring() -> None:
    assert (Desk.file.__name__, Desk.file.__doc__) == ("file", "Files copy.")
    assert list(inspect.signature(Desk.file).parameters) == ["self", "words"]


def test_a_class_s_commands_are_found_by_id() -> None:
    assert declared_commands(Desk) == {"file_copy": Command("file_copy", frozenset({"editor"}), "file copy")}


def test_every_id_a_stored_request_holds_is_still_declared_for_a_command_that_takes_a_request_id() -> None:
    takes_request_id = {
        method.declared.id
        for _, method in inspect.getmembers(Newsroom, inspect.isfunction)
        if hasattr(method, "declared") and "request_id" in inspect.signature(method).parameters
    }

    assert takes_request_id == RECORDED_IDS
    assert set(COMMAND_IDS_OF_VERSION_1.values()) <= RECORDED_IDS <= set(COMMANDS)
