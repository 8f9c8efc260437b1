"""The composition root: builds the Newsroom application on the store a database URL names."""

from __future__ import annotations

from domain.application import Clock, Newsroom, utc_now
from infrastructure.store import StoreConfig, check_store, parse_url, schema_lock


def open_newsroom(url: str, *, clock: Clock = utc_now) -> Newsroom:
    """The application on the store at `url`, checked first so a wrong URL fails clearly."""
    config = parse_url(url)
    check_store(config)
    with schema_lock(config):
        return newsroom_on(config, clock=clock)


def newsroom_on(config: StoreConfig, *, clock: Clock = utc_now) -> Newsroom:
    return Newsroom(env=config.env, clock=clock)
