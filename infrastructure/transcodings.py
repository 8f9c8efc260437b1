"""How the store serialises the dataclasses inside events and snapshots: the transcodings the
composition root gives the Newsroom application (`NEWSROOM_TRANSCODINGS`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.blocks import Block, BulletList, Image, Paragraph, Quote


class DataclassAsDict(Transcoding):
    """A frozen dataclass whose sequence fields are tuples, stored as a JSON object."""

    def __init__(self, cls: type, name: str) -> None:
        self.type = cls
        self.name = name
        self._tuples = tuple(
            f.name for f in fields(cls) if str(f.type).startswith("tuple")
        )  # JSON gives lists back: these become tuples again

    def encode(self, obj: Any) -> dict[str, Any]:
        return dict(vars(obj))

    def decode(self, data: dict[str, Any]) -> Any:
        for name in self._tuples:
            if name in data:
                data[name] = tuple(data[name])
        return self.type(**data)


@dataclass(frozen=True)
class _CorrectionOfVersion1:
    """A correction note as a version 1 Story snapshot held it; only ever read."""

    at: datetime
    quote: int
    note: str
    editor: str


@dataclass(frozen=True)
class _UpdateOfVersion1:
    """A whole update as a version 1 Story snapshot held it, read back for `Story.upcast_v1_v2`."""

    number: int
    title: str
    byline: str | None
    body: tuple[Block, ...]
    posted_at: datetime
    key_event: bool = False
    retracted: bool = False
    retraction_reason: str | None = None
    revised_at: datetime | None = None
    corrections: tuple[_CorrectionOfVersion1, ...] = ()


STORED_NAMES: dict[type, str] = {
    Paragraph: "paragraph",
    Quote: "quote",
    BulletList: "list",
    Image: "image",
    # Only in snapshots of Story version 1, which held whole updates: kept so they still load.
    _UpdateOfVersion1: "update",
    _CorrectionOfVersion1: "correction",
}


class _LedgerOfVersion2:
    """The type a version 2 Story snapshot's update ledger had; nothing makes one any more."""


class UpdateLedgerRows(Transcoding):
    """Only in snapshots of Story version 2 (a row per update), read back as plain rows for
    `Story.upcast_v2_v3`; never written."""

    type = _LedgerOfVersion2
    name = "update_ledger"

    def encode(self, obj: Any) -> Any:
        raise NotImplementedError("version 2 ledgers are only read")

    def decode(self, data: list[list[Any]]) -> list[list[Any]]:
        return data


NEWSROOM_TRANSCODINGS: tuple[Transcoding, ...] = (
    *(DataclassAsDict(cls, name) for cls, name in STORED_NAMES.items()),
    UpdateLedgerRows(),
)
"""Every transcoding a store written by any version of the newsroom needs, beside the library's own."""
