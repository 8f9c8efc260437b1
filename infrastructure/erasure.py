"""A person's erasure, end to end: the event that records it, their key destroyed, and every copy
of their name outside the sealed events (read models, snapshots) gone.

The event comes first, as with a takedown: should the process stop before the key is destroyed,
the same command run again finishes the job. Snapshots are derived and may hold names in clear (a
roster's members, a story's pending submitters): all are deleted, and made again as stories and the
roster are next written. The read models are rebuilt (their rows were decoded with the name).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import NameErased
from infrastructure.bootstrap import Services
from infrastructure.keys import PERSON_INDEX, person_key_id
from infrastructure.store import POSTGRES_RELATIONS, SQLITE_TABLES


@dataclass(frozen=True)
class Erased:
    """What an erasure did: whether it was recorded now (False: by an earlier run, whose work this
    one finished again), and whether a key was destroyed now."""

    recorded: bool
    key_destroyed: bool


def erase_person(services: Services, name: str, *, request: str, editor: str) -> Erased:
    """Erases `name` under `request`: wherever it was recorded sealed it then reads "[erased]"."""
    app, keys = services.app, services.keys
    key_id = person_key_id(keys.key_for_sealing(PERSON_INDEX), name)
    try:
        app.erase_person(name, request=request, editor=editor)
        recorded = True
    except NameErased:
        if not keys.is_destroyed(key_id):
            raise  # the editor's own name was erased, not this one
        recorded = False  # recorded by an earlier run, which may have stopped short: finish it
    destroyed = keys.destroy(key_id, reference=request, at=services.clock())
    forget = getattr(app.mapper, "forget_person", None)
    if forget is not None:
        forget(name, key_id)
    erase_derived_copies(services)
    return Erased(recorded, destroyed)


def erase_derived_copies(services: Services) -> None:
    """Deletes every snapshot, rebuilds the read models and reclaims the space the old rows held.
    A read-only store's are left to a writable process."""
    if services.config.read_only:
        return
    from sqlalchemy import MetaData, Table, delete

    from infrastructure.projections.database import reclaim, writing
    from infrastructure.projections.live_page_tables import page_updates

    runner = services.runner
    engine = runner.engine
    sqlite = engine.dialect.name == "sqlite"
    snapshots = SQLITE_TABLES[1] if sqlite else POSTGRES_RELATIONS[2]
    with writing(engine) as connection:
        # In the engine's schema on PostgreSQL (its schema map), named by SQLAlchemy's quoting.
        connection.execute(delete(Table(snapshots, MetaData())))
    runner.rebuild()
    # The history's rows hold no words and no names (`history.py`): nothing of theirs to reclaim.
    for table in (snapshots, page_updates.name):
        reclaim(engine, table)
        if sqlite:
            break  # SQLite rewrites the whole file at once
