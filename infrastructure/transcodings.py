"""How the store serialises the dataclasses inside events and snapshots: the transcodings the
composition root gives the Newsroom application (`NEWSROOM_TRANSCODINGS`)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.blocks import BulletList, Image, Paragraph, Quote
from domain.update import Correction, Update


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


STORED_NAMES: dict[type, str] = {
    Paragraph: "paragraph",
    Quote: "quote",
    BulletList: "list",
    Image: "image",
    # Only in snapshots of Story version 1, which held whole updates: kept so they still load.
    Update: "update",
    Correction: "correction",
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
