"""The composition root: builds the Newsroom application on the store a database URL names."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from eventsourcing.utils import EnvType

from domain.application import Clock, Newsroom, utc_now
from infrastructure.retry import JitteredBackoff
from infrastructure.store import StoreConfig, parse_url, ready_store
from infrastructure.transcodings import NEWSROOM_TRANSCODINGS

if TYPE_CHECKING:
    from infrastructure.projections.read_models import ReadModels

BATCH_SIZE_VAR = "NEWSROOM_PROJECTIONS_BATCH_SIZE"
PAUSE_VAR = "NEWSROOM_PROJECTIONS_PAUSE_BEFORE_COMMIT"
"""A testing hook: seconds each projection batch waits before it commits, so a test can kill a
catch-up in the middle of one."""


def open_newsroom(url: str, *, clock: Clock = utc_now) -> Newsroom:
    """The application on the store at `url`, checked first so a wrong URL fails clearly."""
    with ready_store(parse_url(url)) as config:
        return build_newsroom(config.env, clock=clock)


def build_newsroom(env: EnvType | None = None, *, clock: Clock = utc_now) -> Newsroom:
    """The application on the store `env` configures, unchecked, wired as every process wires it
    (the stored types' transcodings, random waits before a retry); `open_newsroom` checks the
    store first."""
    return Newsroom(env, transcodings=NEWSROOM_TRANSCODINGS, clock=clock, retry=JitteredBackoff())


def open_newsroom_with_read_models(url: str, *, clock: Clock = utc_now) -> NewsroomWithReadModels:
    """The application with the read models on the same store, as the CLI uses them."""
    with ready_store(parse_url(url)) as config:
        return NewsroomWithReadModels(config, clock=clock)


class NewsroomWithReadModels(Newsroom):
    """The Newsroom with its read side, opened on first use: a command that only writes never
    loads SQLAlchemy nor touches the read models (readers catch them up before they read)."""

    name = Newsroom.name  # the same store tables and environment as the plain application

    def __init__(self, config: StoreConfig, *, clock: Clock = utc_now) -> None:
        super().__init__(
            env=config.env, transcodings=NEWSROOM_TRANSCODINGS, clock=clock, retry=JitteredBackoff()
        )
        self.config = config
        self._read_models: ReadModels | None = None

    @property
    def read_models(self) -> ReadModels:
        if self._read_models is None:
            from infrastructure.projections.database import read_model_engine
            from infrastructure.projections.read_models import BATCH_SIZE, ReadModels

            self._read_models = ReadModels(
                self,
                read_model_engine(self.config),
                batch_size=int(os.environ.get(BATCH_SIZE_VAR) or BATCH_SIZE),
                read_only=self.config.read_only,
                before_commit=_pause_from_environment(),
            )
        return self._read_models

    def close(self) -> None:
        if self._read_models is not None:
            self._read_models.close()
        super().close()


def _pause_from_environment() -> Callable[[], None] | None:
    seconds = float(os.environ.get(PAUSE_VAR) or 0)
    if seconds <= 0:
        return None
    return lambda: time.sleep(seconds)
