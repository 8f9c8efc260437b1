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
from domain.errors import StoryNotFound
from domain.page import Page
from domain.staff import StaffCard
from infrastructure.keys import PERSON_INDEX, CachedKeys, KeyStore, person_key_id
from infrastructure.retry import JitteredBackoff
from infrastructure.store import StoreConfig, StoreUnavailable, parse_url, ready_store
from infrastructure.transcodings import NEWSROOM_TRANSCODINGS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from infrastructure.projections.queries import ReadQueries
    from infrastructure.projections.runner import ProjectionRunner
    from infrastructure.publisher import Publisher
    from infrastructure.replica_lag import ReplicaLag

BATCH_SIZE_VAR = "NEWSROOM_PROJECTIONS_BATCH_SIZE"
PAUSE_VAR = "NEWSROOM_PROJECTIONS_PAUSE_BEFORE_COMMIT"
"""A testing hook: seconds each projection batch waits before it commits, so a test can kill a
catch-up in the middle of one."""


class ReadModelsBehind(Exception):
    """A read asked for a version the read models had not reached in time."""

    def __init__(self, slug: str, wanted: int, reached: int, seconds: float) -> None:
        self.slug, self.wanted, self.reached, self.seconds = slug, wanted, reached, seconds
        super().__init__(
            f"story {slug!r} had not reached version {wanted} after {seconds:g} s "
            f"(the read models are at version {reached}); nothing older is shown as current"
        )


@dataclass
class Services:
    """What one process uses, each part built on first use and closed by `close`."""

    url: str
    clock: Clock = utc_now
    read_url: str | None = None
    """A streaming replica of the store that followers, the readers' web, the audit and the log
    read events from (None: the store itself). Never written to."""
    views_url: str | None = None
    """The database the read models live in (None: the store's own)."""
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
    _publisher: Publisher | None = field(default=None, init=False, repr=False)
    _reader: Newsroom | None = field(default=None, init=False, repr=False)

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
    def reader(self) -> Newsroom:
        """The application that reads events: on the replica (`read_url`), or the store's own."""
        if self.read_url is None:
            return self.app
        if self._reader is None:
            env = replica_env(parse_url(self.read_url))
            self._reader = build_newsroom(env, clock=self.clock, keys=self.keys, sealing=False)
        return self._reader

    @property
    def runner(self) -> ProjectionRunner:
        """The projection runner: events from `reader`, views in the `views_url` database."""
        if self._runner is None:
            from infrastructure.projections.database import read_model_engine

            views = self.config if self.views_url is None else parse_url(self.views_url)
            self._runner = self._new_runner(read_model_engine(views))
        return self._runner

    def replica_lag(self) -> ReplicaLag | None:
        """How far the replica's replay trails the store (None without a replica)."""
        if self.read_url is None:
            return None
        from infrastructure.replica_lag import measure_lag

        return measure_lag(self.app, self.reader)

    def wait_for_replica(self, timeout: float) -> None:
        """Returns once the replica has replayed everything the store held when called (this
        process's writes included); raises `ReplicaBehind` after `timeout` seconds."""
        if self.read_url is None:
            return
        from infrastructure.standby import StandbyRecorder

        recorder = self.reader.recorder
        assert isinstance(recorder, StandbyRecorder)
        recorder.wait_for(self.app.recorder.max_notification_id() or 0, timeout)

    @property
    def queries(self) -> ReadQueries:
        """The read queries on the store's read models, as they stand."""
        return _queries(self.runner)

    @property
    def publisher(self) -> Publisher:
        """Publishes due scheduled items on this store, by this process's clock; it asks the read
        models (caught up first) which stories ever scheduled anything."""
        if self._publisher is None:
            from infrastructure.publisher import Publisher

            self._publisher = Publisher(self.app, lambda: self.caught_up().scheduling_stories(), self.clock)
        return self._publisher

    def caught_up(self) -> ReadQueries:
        """The read queries, the read models caught up with the store first, so a reader sees
        every write. A read-only store cannot take the catching up: if its read models lag,
        built or not, they are built in memory for this process instead (`in_memory`)."""
        runner = self.runner
        if self.can_catch_up:
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

    def page_at_least(self, slug: str, version: int, timeout: float) -> Page:
        """The story's page at `version` or later, waiting up to `timeout` seconds for the events
        (from the replica, with `read_url`) to reach the read models; raises `ReadModelsBehind`
        rather than return an older page."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                page: Page | None = self.caught_up().page(slug)
            except StoryNotFound:
                page = None
            if page is not None and page.version >= version:
                return page
            if time.monotonic() >= deadline:
                raise ReadModelsBehind(slug, version, 0 if page is None else page.version, timeout)
            time.sleep(0.05)

    def close(self) -> None:
        for runner in (self._memory, self._runner):
            if runner is not None:
                runner.engine.dispose()
        if self._reader is not None:
            self._reader.close()
        if self._app is not None:
            self._app.close()
        if self._keys is not None:
            self._keys.close()

    @property
    def can_catch_up(self) -> bool:
        """Whether this process may write the read models (not a read-only store, nor views on a
        replica)."""
        return not self.config.read_only and not self._views_on_a_standby()

    def _views_on_a_standby(self) -> bool:
        """Whether the read models are read from a replica (`--views-db` naming one), which takes
        no catching up: a follower keeps them on the primary and replication brings them."""
        if self.views_url is None or self.runner.engine.dialect.name != "postgresql":
            return False
        from sqlalchemy import text

        with self.runner.engine.connect() as connection:
            return bool(connection.execute(text("SELECT pg_is_in_recovery()")).scalar())

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
    url: str,
    *,
    read_url: str | None = None,
    views_url: str | None = None,
    clock: Clock = utc_now,
    batch_size: int | None = None,
    sealing: bool = True,
) -> Services:
    """Everything a process of the newsroom needs, on the store at `url` (events read from the
    replica at `read_url`, read models kept at `views_url`, if given); opened on first use."""
    return Services(
        url, clock=clock, read_url=read_url, views_url=views_url, batch_size=batch_size, sealing=sealing
    )


def replica_env(config: StoreConfig) -> dict[str, str]:
    """The library's settings for reading a store from its streaming replica: the standby
    recorder (it polls: a standby refuses LISTEN), and no DDL."""
    if config.backend != "postgresql":
        raise StoreUnavailable(
            f"--read-db {config.url!r} is not PostgreSQL: a read replica is a PostgreSQL streaming replica"
        )
    from infrastructure.standby import TOPIC

    return {**config.env, "CREATE_TABLE": "n", "APPLICATION_RECORDER_TOPIC": TOPIC}


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

    return ReadQueries(runner.engine, runner.app)


def _pause_from_environment() -> Callable[[], None] | None:
    seconds = float(os.environ.get(PAUSE_VAR) or 0)
    if seconds <= 0:
        return None
    return lambda: time.sleep(seconds)
