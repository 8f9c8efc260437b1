"""Signing, as the application does it: whether the store signs (`Signatures`, one row), the key a
command signs with (`signing_key`, or the refusal), and its story and roster events signed as they
are saved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application

from domain.signing import Signatures, SignerSources, SigningAs, sign_as, signing_key, signing_now
from domain.staff import Roster
from domain.story import Story


class SignedSaves(Application[UUID]):
    """Mixed into `NewsroomBase` before the library's `Application`, whose `save` it wraps."""

    signers: SignerSources | None
    _signatures: Signatures | None

    def get_signatures(self) -> Signatures | None:
        """Whether the store signs (one row, asked only until it does), and under which namespace."""
        if self._signatures is None:
            try:
                self._signatures = self.repository.get(Signatures.ID)
            except AggregateNotFoundError:
                return None
        return self._signatures

    def _sign_as(self, name: str, current: Iterable[str], namespace: str, *, system: bool = False) -> None:
        """The command being made signs its events with one of `name`'s `current` keys, from
        the member's (or with `system`, the system identity's) signer; or it is refused."""
        signer = None if self.signers is None else self.signers.system() if system else self.signers.member()
        key = signing_key(signer, name, current)
        assert signer is not None  # signing_key refused it otherwise
        sign_as(SigningAs(signer, key, namespace))

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """The library's, each story and roster event signed first if the command signs
        (`domain.signing.sign_as`)."""
        signing = signing_now()
        if signing is not None:
            for obj in objs:
                if isinstance(obj, Story | Roster):
                    for event in obj.pending_events:
                        signing.sign(event)
        return super().save(*objs, **kwargs)
