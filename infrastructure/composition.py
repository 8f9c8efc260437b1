"""The composition root: builds the Newsroom application on the store a database URL names."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from domain.application import Clock, Newsroom, utc_now
from infrastructure.store import StoreConfig, check_store, parse_url, schema_lock

BATCH_SIZE_VAR = "NEWSROOM_PROJECTIONS_BATCH_SIZE"
PAUSE_VAR = "NEWSROOM_PROJECTIONS_PAUSE_BEFORE_COMMIT"
"""A testing hook: seconds each projection batch waits before it commits, so a test can kill a
catch-up in the middle of one."""


def open_newsroom(url: str, *, clock: Clock = utc_now) -> Newsroom:
    """The application on the store at `url`, checked first so a wrong URL fails clearly."""
    config = parse_url(url)
    check_store(config)
    with schema_lock(config):
        return newsroom_on(config, clock=clock)


def newsroom_on(config: StoreConfig, *, clock: Clock = utc_now) -> Newsroom:
    return Newsroom(env=config.env, clock=clock)


def open_newsroom_with_read_models(url: str, *, clock: Clock = utc_now) -> NewsroomWithReadModels:
    """The application with the read models on the same store, as the CLI uses them."""
    config = parse_url(url)
    check_store(config)
    with schema_lock(config):
        return NewsroomWithReadModels(config, clock=clock)


class NewsroomWithReadModels(Newsroom):
    """The Newsroom with its read side: it counts the events it saves, so that the read models
    can be brought up to date before a command returns."""

    name = Newsroom.name  # the same store tables and environment as the plain application

    def __init__(self, config: StoreConfig, *, clock: Clock = utc_now) -> None:
        from infrastructure.projections.database import read_model_engine
        from infrastructure.projections.read_models import BATCH_SIZE, ReadModels

        super().__init__(env=config.env, clock=clock)
        self.saved_events = 0
        self.read_models = ReadModels(
            self,
            read_model_engine(config),
            batch_size=int(os.environ.get(BATCH_SIZE_VAR) or BATCH_SIZE),
            read_only=config.read_only,
            before_commit=_pause_from_environment(),
        )

    def _notify(self, recordings: list[Any]) -> None:
        super()._notify(recordings)
        self.saved_events += len(recordings)

    def close(self) -> None:
        self.read_models.close()
        super().close()


def _pause_from_environment() -> Callable[[], None] | None:
    seconds = float(os.environ.get(PAUSE_VAR) or 0)
    if seconds <= 0:
        return None
    return lambda: time.sleep(seconds)
