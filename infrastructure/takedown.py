"""A legal takedown, end to end: the event that records it, the key destroyed (and that of the
submission or scheduled post the update came from), the read models' copies of the words
rewritten, and the space they held reclaimed. The words of a submission or scheduled post that
never became an update are taken down the same way (`take_down_earlier_words`): their key is the
only copy there is (no read model holds them in clear; the history keeps their sealed events).

The event comes first: should the process stop before the key is destroyed, the record says what
was ordered, `newsroom keys status` shows the key still there, and the same command run again
finishes the job.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.earlier_words import SUBMITTED_WORDS
from domain.errors import EarlierWordsTakenDown, UpdateAlreadyTakenDown
from domain.story import Story
from infrastructure.bootstrap import Services
from infrastructure.keys import update_key_id, words_key_id


@dataclass(frozen=True)
class TakenDown:
    """What a takedown did: the story's version after it (None: recorded by an earlier run, whose
    work this one finished again), and whether a key was destroyed now."""

    version: int | None
    key_destroyed: bool
    plain_digests: bool = False
    """Whether the update's digests were stored plain, before digests were keyed by the update's
    key: they still confirm a guess of its title, quotes and attributions, and stored events are
    never changed, so nothing the takedown does removes them."""


def take_down_update(
    services: Services,
    slug: str,
    number: int,
    *,
    order: str,
    note: str,
    editor: str,
    request_id: str | None = None,
) -> TakenDown:
    """Takes update `number` of `slug` down under `order`, readers seeing `note` in its place."""
    app = services.app
    key_id = update_key_id(Story.id_for(slug), number)
    try:
        version: int | None = app.take_down_update(
            slug, number, order=order, note=note, editor=editor, request_id=request_id
        )
    except UpdateAlreadyTakenDown:
        version = None  # recorded by an earlier run, which may have stopped short: finish it
    key_ids = [key_id]
    before = app.words_before(slug, number)
    if before is not None:  # the submission's or scheduled post's words, under their own key
        kind, source = before
        key_ids.append(words_key_id(Story.id_for(slug), kind, source))
    return TakenDown(version, _shred(services, key_ids, order), _plain_digests(services, slug, number))


def _plain_digests(services: Services, slug: str, number: int) -> bool:
    from eventsourcing.application import AggregateNotFoundError

    from domain.update_digests import UpdateDigests

    try:
        digests: UpdateDigests = services.app.repository.get(UpdateDigests.id_for(Story.id_for(slug), number))
    except AggregateNotFoundError:
        return False  # posted before digests were kept: none to guess against
    return not digests.keyed


def take_down_earlier_words(
    services: Services,
    slug: str,
    kind: str,
    number: int,
    *,
    order: str,
    note: str,
    editor: str,
    request_id: str | None = None,
) -> TakenDown:
    """Takes down the words of submission (`kind` "submission") or scheduled post ("scheduled")
    `number` of `slug`, one that never became an update, under `order`."""
    app = services.app
    key_id = words_key_id(Story.id_for(slug), kind, number)
    command = app.take_down_submission if kind == SUBMITTED_WORDS else app.take_down_scheduled_post
    try:
        version: int | None = command(
            slug, number, order=order, note=note, editor=editor, request_id=request_id
        )
    except EarlierWordsTakenDown:
        version = None  # recorded by an earlier run, which may have stopped short: finish it
    return TakenDown(version, _shred(services, [key_id], order))


def _shred(services: Services, key_ids: list[str], order: str) -> bool:
    """Destroys the keys (the first is the takedown's own: whether it was destroyed now is
    returned), has this process forget them, and rewrites the read models' copies."""
    destroyed = [services.keys.destroy(k, reference=order, at=services.clock()) for k in key_ids]
    forget = getattr(services.app.mapper, "forget", None)
    if forget is not None:
        for key_id in key_ids:
            forget(key_id)
    erase_read_model_copies(services)
    return destroyed[0]


def erase_read_model_copies(services: Services) -> None:
    """Catches the read models up (the takedown's event rewrites its update's rows) and reclaims
    the space the old rows held. A read-only store's read models are left to a writable process."""
    if services.config.read_only:
        return
    from infrastructure.projections.database import reclaim
    from infrastructure.projections.live_page_tables import page_updates

    runner = services.runner
    runner.catch_up()
    reclaim(runner.engine, page_updates.name)
