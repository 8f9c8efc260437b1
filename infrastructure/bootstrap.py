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
from pathlib import Path
from typing import TYPE_CHECKING

from domain.clock import Clock, utc_now
from infrastructure.store import StoreConfig, parse_url, ready_store

if TYPE_CHECKING:
    from eventsourcing.utils import EnvType
    from sqlalchemy.engine import Engine

    from domain.application import Newsroom
    from domain.page import Page
    from infrastructure.forgetting import Forgetting
    from infrastructure.keys import CachedKeys, KeyStore
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
    signing_key: str | None = None
    """The private key file a store that signs signs with (`--key`; else `infrastructure.signers`
    looks in the environment and the ssh-agent)."""
    in_memory: bool = field(default=False, init=False)
    """Whether `caught_up` had to apply events in memory (a read-only store that lags)."""
    _config: StoreConfig | None = field(default=None, init=False, repr=False)
    _keys: CachedKeys | None = field(default=None, init=False, repr=False)
    _app: Newsroom | None = field(default=None, init=False, repr=False)
    _views: Engine | None = field(default=None, init=False, repr=False)
    _runner: ProjectionRunner | None = field(default=None, init=False, repr=False)
    _memory: ProjectionRunner | None = field(default=None, init=False, repr=False)
    _publisher: Publisher | None = field(default=None, init=False, repr=False)
    _forgetting: Forgetting | None = field(default=None, init=False, repr=False)
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
            from infrastructure.standby import replica_env

            env = replica_env(parse_url(self.read_url))
            self._reader = build_newsroom(env, clock=self.clock, keys=self.keys, sealing=False)
        return self._reader

    @property
    def runner(self) -> ProjectionRunner:
        """The projection runner: events from `reader`, views in the `views_url` database."""
        if self._runner is None:
            self._runner = self._new_runner(self._views_engine())
        return self._runner

    def _views_engine(self) -> Engine:
        """The engine on the read models' database, made once."""
        if self._views is None:
            from infrastructure.projections.database import read_model_engine

            self._views = read_model_engine(parse_url(self.views_url or self.url))
        return self._views

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
        return self._queries(self.runner.engine)

    @property
    def forgetting(self) -> Forgetting:
        """What this process forgets of the takedowns and erasures other processes record."""
        if self._forgetting is None:
            from infrastructure.forgetting import Forgetting

            self._forgetting = Forgetting(self.reader.recorder, [self.reader.mapper, self.app.mapper])
        return self._forgetting

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
        every write. A read-only store cannot take the catching up: if its read models lag, the
        events they lack are applied in memory for this process instead (`in_memory`), to copies
        of the rows of the stories those events touch (`overlay`); read models not built, or built
        by other code, are built whole in memory.

        Read models found current by one look (`freshness`) are read as they are: the application,
        the runner and the projections' code are then never loaded."""
        if self._current():
            return self._queries(self._views_engine())
        runner = self.runner
        if self.can_catch_up:
            runner.catch_up()
            return self._queries(runner.engine)
        states = {s.state for s in runner.status()}
        if states == {"up to date"}:
            return self._queries(runner.engine)
        from infrastructure.projections.database import memory_engine

        if self._memory is not None:
            self._memory.engine.dispose()
        self._memory = self._new_runner(memory_engine())
        self.in_memory = True
        if states <= {"up to date", "behind"}:
            from infrastructure.projections.overlay import OverlaidQueries, apply_lag_in_memory

            touched = apply_lag_in_memory(runner, self._memory)
            return OverlaidQueries(self._queries(runner.engine), self._queries(self._memory.engine), touched)
        self._memory.catch_up()  # nothing stored to start from: every event, in memory
        return self._queries(self._memory.engine)

    def _current(self) -> bool:
        """Whether the read models, in the store's own database, are current: False when they
        cannot be told so by one look (a replica or other views database, no store or no read
        models yet, or any error, which the full path then reports as it does)."""
        if self._runner is not None or self.read_url is not None or self.views_url is not None:
            return False
        config = parse_url(self.url)
        if config.sqlite_path is not None and not _is_file(config.sqlite_path):
            return False  # a new store, or a path the full path refuses with a reason
        from sqlalchemy.exc import DBAPIError

        from infrastructure.projections.freshness import read_models_current

        try:
            return read_models_current(self._views_engine(), config)
        except DBAPIError:
            return False

    def _queries(self, engine: Engine) -> ReadQueries:
        from infrastructure.projections.queries import ReadQueries

        return ReadQueries(engine, lambda: self.app)

    def page_at_least(self, slug: str, version: int, timeout: float) -> Page:
        """The story's page at `version` or later, waiting up to `timeout` seconds for the events
        (from the replica, with `read_url`) to reach the read models; raises `ReadModelsBehind`
        rather than return an older page."""
        from domain.errors import StoryNotFound

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
        if self._memory is not None:
            self._memory.engine.dispose()
        if self._views is not None:
            self._views.dispose()
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
            from infrastructure.key_stores import check_key_store_setting, open_key_store
            from infrastructure.keys import CachedKeys
            from infrastructure.signers import Signers

            parsed = parse_url(self.url)
            check_key_store_setting(parsed)
            with ready_store(parsed) as config:
                self._keys = CachedKeys(open_key_store(config))
                self._app = build_newsroom(
                    config.env, clock=self.clock, keys=self._keys, sealing=self.sealing
                )
                self._app.signers = Signers(self.signing_key)
                self._config = config
        return self._app, self._config

    def _events_file(self) -> Path | None:
        """The SQLite file the runner reads events from, if it does (not a replica's server)."""
        config = parse_url(self.read_url or self.url)
        return config.sqlite_path if config.backend == "sqlite" else None

    def _new_runner(self, engine: Engine) -> ProjectionRunner:
        from infrastructure.projections.runner import BATCH_SIZE, ProjectionRunner

        batch_size = self.batch_size or int(os.environ.get(BATCH_SIZE_VAR) or BATCH_SIZE)
        return ProjectionRunner(
            self.reader,
            engine,
            batch_size=batch_size,
            before_commit=_pause_from_environment(),
            forgetting=self.forgetting.look,
            store_path=self._events_file(),
        )


def bootstrap(
    url: str,
    *,
    read_url: str | None = None,
    views_url: str | None = None,
    clock: Clock = utc_now,
    batch_size: int | None = None,
    sealing: bool = True,
    signing_key: str | None = None,
) -> Services:
    """Everything a process of the newsroom needs, on the store at `url` (events read from the
    replica at `read_url`, read models kept at `views_url`, if given; a store that signs signed
    with `signing_key`, else as `infrastructure.signers` finds one); opened on first use."""
    return Services(
        url, clock=clock, read_url=read_url, views_url=views_url, batch_size=batch_size, sealing=sealing,
        signing_key=signing_key,
    )  # fmt: skip


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
    benchmarks on an in-memory or hand-made environment use this (no keys: nothing sealed).

    Imported here, not above: a read of current read models loads none of the write side."""
    from domain.application import Newsroom
    from infrastructure.retry import JitteredBackoff
    from infrastructure.transcodings import NEWSROOM_TRANSCODINGS

    if keys is None:
        return Newsroom(env, transcodings=NEWSROOM_TRANSCODINGS, clock=clock, retry=JitteredBackoff())
    from uuid import UUID

    from domain.staff import StaffCard
    from infrastructure.encryption import SealingMapper
    from infrastructure.keys import (
        PERSON_INDEX,
        CachedKeys,
        digest_key,
        keys_after,
        person_key_id,
        update_key_id,
    )

    cached = keys if isinstance(keys, CachedKeys) else CachedKeys(keys)

    def card_id(name: str) -> UUID:
        return StaffCard.keyed_id(person_key_id(cached.key_for_sealing(PERSON_INDEX), name))

    def digest_keys(story_id: UUID, number: int) -> bytes:
        # The update's key, kept once read or made (ahead, by an earlier post's sealing): a post
        # or a revision seldom asks the key store, and never more than its sealing would.
        key_id = update_key_id(story_id, number)
        key = cached.key(key_id) or cached.key_for_sealing(key_id, keys_after(key_id))
        return digest_key(key)

    return Newsroom(
        env,
        transcodings=NEWSROOM_TRANSCODINGS,
        clock=clock,
        retry=JitteredBackoff(),
        salts=_salt if sealing else None,
        sealed_mapper=lambda mapper: SealingMapper(mapper, cached),
        card_ids=card_id if sealing else None,
        digest_keys=digest_keys if sealing else None,
    )


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; False for a path the system cannot look at (a name too long)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _salt() -> str:
    """A commitment's salt: 128 secret random bits."""
    return secrets.token_hex(16)


def _pause_from_environment() -> Callable[[], None] | None:
    seconds = float(os.environ.get(PAUSE_VAR) or 0)
    if seconds <= 0:
        return None
    return lambda: time.sleep(seconds)
