"""Request records: a command carried out under a request id, so that repeating it appends nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import rules
from domain.chain import draw_salts

REQUEST_NAMESPACE = uuid5(NAMESPACE_URL, "https://newsroom.invalid/requests/")

COMMAND_IDS_OF_VERSION_1 = {
    "story open": "open_story",
    "story headline": "change_headline",
    "story standfirst": "change_standfirst",
    "story publish": "publish_story",
    "story close": "close_story",
    "story reopen": "reopen_story",
    "update post": "post_update",
    "update revise": "revise_update",
    "update retract": "retract_update",
    "update pin": "pin_update",
    "update unpin": "unpin_update",
    "update key-event": "mark_key_event",
    "quote correct": "correct_quote",
}
"""What version 1 records held (the words of the command line) and the command id each became.
History: never edit it, whatever the command line comes to be called."""


class CommandRequest(Aggregate):
    """One per request id, saved atomically with the story events the command recorded."""

    class Recorded(Aggregate.Created):
        """Version 2: `command` is the command's stable id, the name of the Newsroom method that
        made it (`post_update`); version 1 held its command line's words (`update post`)."""

        class_version = 2
        request_id: str
        command: str
        slug: str
        result: int
        editor: str

        def __post_init__(self) -> None:
            super().__post_init__()
            draw_salts(self, ("editor",))  # sealed under the editor's key, like a story event's

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["command"] = COMMAND_IDS_OF_VERSION_1.get(state["command"], state["command"])

    def __init__(self, request_id: str, command: str, slug: str, result: int, editor: str) -> None:
        self.request_id = request_id
        self.command = command
        self.slug = slug
        self.result = result
        self.editor = editor

    @staticmethod
    def id_for(request_id: str) -> UUID:
        return uuid5(REQUEST_NAMESPACE, request_id)

    @classmethod
    def record(
        cls, request_id: str, command: str, slug: str, result: int, *, editor: str, at: datetime
    ) -> CommandRequest:
        return cls._create(
            cls.Recorded,
            id=cls.id_for(request_id),
            request_id=request_id,
            command=command,
            slug=slug,
            result=result,
            editor=editor,
            timestamp=at,
        )

    def matches(self, command: str, slug: str) -> bool:
        """Whether this request was for `command` (its id) on the story `slug`."""
        return (self.command, self.slug) == (command, slug)


def valid_request_id(request_id: str) -> str:
    return rules.valid_line("request id", request_id, rules.REQUEST_ID_MAX)
