"""Request records: a command carried out under a request id, so that repeating it appends nothing."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import rules

REQUEST_NAMESPACE = uuid5(NAMESPACE_URL, "https://newsroom.invalid/requests/")


class CommandRequest(Aggregate):
    """One per request id, saved atomically with the story events the command recorded."""

    class Recorded(Aggregate.Created):
        request_id: str
        command: str
        slug: str
        result: int
        editor: str

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
        return (self.command, self.slug) == (command, slug)


def valid_request_id(request_id: str) -> str:
    return rules.valid_line("request id", request_id, rules.REQUEST_ID_MAX)
