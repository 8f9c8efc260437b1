"""The composition root: one function builds everything a process of the newsroom uses.

`bootstrap(url)` returns `Services`: the application (the editors' commands and the domain's
queries) with its retry policy and its stored types' transcodings, the clock, and the read side
(the projection runner and the read queries). Nothing is
opened by `bootstrap` itself: the store is checked and opened on first use of `app`, and the read
side (which imports SQLAlchemy) on first use of `runner` or `queries`, so `--help` touches no
database and a write command never loads the read side at all.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.utils import EnvType

from domain.application import Clock, Newsroom, utc_now
from domain.staff import StaffCard
from infrastructure.keys import PERSON_INDEX, CachedKeys, KeyStore, person_key_id
from infrastructure.retry import JitteredBackoff
from infrastructure.store import StoreConfig, parse_url, ready_store
from infrastructure.transcodings import NEWSROOM_TRANSCODINGS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from infrastructure.projections.queries import ReadQueries
    from infrastructure.projections.runner import ProjectionRunner

BATCH_SIZE_VAR = "NEWSROOM_PROJECTIONS_BATCH_SIZE"
PAUSE_VAR = "NEWSROOM_PROJECTIONS_PAUSE_BEFORE_COMMIT"
"""A testing hook: seconds each projection batch waits before it commits, so a test can kill a
catch-up in the middle of one."""


@dataclass
class Services:
    """What one process uses, each part built on first use and closed by `close`."""

    url: str
    clock: Clock = utc_now
    batch_size: int | None = None
    """Events per read-model transaction (None: the runner's default, or NEWSROOM_PROJECTIONS_BATCH_SIZE)."""
    sealing: bool = True
    """Whether new updates' words are sealed under keys from the key store (False: written as every
    store was before sealing existed, which tests of such stores use)."""
    in_memory: bool = field(default=False, init=False)
    """Whether `caught_up` had to build the read models in memory (a read-only store that lags)."""
    _config: StoreConfig | None = field(default=None, init=False, repr=False)
    _keys: CachedKeys | None = field(default=None, init=False, repr=False)
    _app: Newsroom | None = field(default=None, init=False, repr=False)
    _runner: ProjectionRunner | None = field(default=None, init=False, repr=False)
    _memory: ProjectionRunner | None = field(default=None, init=False, repr=False)

    @property
    def app(self) -> Newsroom:
        """The application on the store: checked first, so a wrong URL fails clearly."""
        return self._opened()[0]

    @property
    def config(self) -> StoreConfig:
        """The store's configuration, as found when the application was opened."""
        return self._opened()[1]

    @property
    def keys(self) -> CachedKeys:
        """The store's key store (a file or schema beside it), opened on first use."""
        self._opened()
        assert self._keys is not None
        return self._keys

    @property
    def runner(self) -> ProjectionRunner:
        """The projection runner on the store's read models."""
        if self._runner is None:
            from infrastructure.projections.database import read_model_engine

            self._runner = self._new_runner(read_model_engine(self.config))
        return self._runner

    @property
    def queries(self) -> ReadQueries:
        """The read queries on the store's read models, as they stand."""
        return _queries(self.runner)

    def caught_up(self) -> ReadQueries:
        """The read queries, the read models caught up with the store first, so a reader sees
        every write. A read-only store cannot take the catching up: if its read models lag,
        built or not, they are built in memory for this process instead (`in_memory`)."""
        runner = self.runner
        if not self.config.read_only:
            runner.catch_up()
            return _queries(runner)
        if all(s.state == "up to date" for s in runner.status()):
            return _queries(runner)
        if self._memory is None:
            from infrastructure.projections.database import memory_engine

            self._memory = self._new_runner(memory_engine())
        self._memory.catch_up()
        self.in_memory = True
        return _queries(self._memory)

    def close(self) -> None:
        for runner in (self._memory, self._runner):
            if runner is not None:
                runner.engine.dispose()
        if self._app is not None:
            self._app.close()
        if self._keys is not None:
            self._keys.close()

    def _opened(self) -> tuple[Newsroom, StoreConfig]:
        if self._app is None or self._config is None:
            with ready_store(parse_url(self.url)) as config:
                from infrastructure.key_stores import open_key_store

                self._keys = CachedKeys(open_key_store(config))
                self._app = build_newsroom(
                    config.env, clock=self.clock, keys=self._keys, sealing=self.sealing
                )
                self._config = config
        return self._app, self._config

    def _new_runner(self, engine: Engine) -> ProjectionRunner:
        from infrastructure.projections.runner import BATCH_SIZE, ProjectionRunner

        batch_size = self.batch_size or int(os.environ.get(BATCH_SIZE_VAR) or BATCH_SIZE)
        return ProjectionRunner(
            self.app, engine, batch_size=batch_size, before_commit=_pause_from_environment()
        )


def bootstrap(
    url: str, *, clock: Clock = utc_now, batch_size: int | None = None, sealing: bool = True
) -> Services:
    """Everything a process of the newsroom needs, on the store at `url`; opened on first use."""
    return Services(url, clock=clock, batch_size=batch_size, sealing=sealing)


def build_newsroom(
    env: EnvType | None = None,
    *,
    clock: Clock = utc_now,
    keys: KeyStore | None = None,
    sealing: bool = True,
) -> Newsroom:
    """The application on the store `env` configures, unchecked, wired as every process wires it:
    the stored types' transcodings, random waits before retrying a command that met another
    editor's write, and with `keys` the mapper that opens sealed events (and, with `sealing`,
    new updates sealed under their keys). `bootstrap` checks the store first; tests and
    benchmarks on an in-memory or hand-made environment use this (no keys: nothing sealed)."""
    if keys is None:
        return Newsroom(env, transcodings=NEWSROOM_TRANSCODINGS, clock=clock, retry=JitteredBackoff())
    from infrastructure.encryption import SealingMapper

    cached = keys if isinstance(keys, CachedKeys) else CachedKeys(keys)

    def card_id(name: str) -> UUID:
        return StaffCard.keyed_id(person_key_id(cached.key_for_sealing(PERSON_INDEX), name))

    return Newsroom(
        env,
        transcodings=NEWSROOM_TRANSCODINGS,
        clock=clock,
        retry=JitteredBackoff(),
        salts=_salt if sealing else None,
        sealed_mapper=lambda mapper: SealingMapper(mapper, cached),
        card_ids=card_id if sealing else None,
    )


def _salt() -> str:
    """A commitment's salt: 128 secret random bits."""
    return secrets.token_hex(16)


def _queries(runner: ProjectionRunner) -> ReadQueries:
    from infrastructure.projections.queries import ReadQueries

    return ReadQueries(runner.engine, runner.app.mapper.to_domain_event)


def _pause_from_environment() -> Callable[[], None] | None:
    seconds = float(os.environ.get(PAUSE_VAR) or 0)
    if seconds <= 0:
        return None
    return lambda: time.sleep(seconds)
