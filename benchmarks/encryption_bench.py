"""What sealing update words costs: a write in process, a rebuild and `audit verify`, each
on a store written with encryption beside the same work on one written without, in the same run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks.rows import Findings, Row, at_least, at_most
from benchmarks.stores import fresh_store
from benchmarks.stories import BODY, EDITOR, TITLE, grow_story
from benchmarks.timing import interleaved
from domain.chain import sealing
from infrastructure.audit.verify import verify_store
from infrastructure.bootstrap import Services, bootstrap

WRITE = "one write command in process, encryption on"
REBUILD = "projections rebuild, encryption on"
VERIFY = "audit verify, encryption on"
STORY_EVENTS = 1_000


@contextmanager
def _stores(backend: str) -> Iterator[tuple[Services, Services]]:
    """Two fresh stores: one sealing new updates, one written as stores were before sealing."""
    with fresh_store(backend) as sealed_store, fresh_store(backend) as plain_store:
        sealed, plain = bootstrap(sealed_store.url), bootstrap(plain_store.url, sealing=False)
        try:
            yield sealed, plain
        finally:
            sealed.close()
            plain.close()


def encryption_costs(backend: str, events: int, write_runs: int, runs: int) -> Findings:
    """The three costs of sealing, each as a ratio to the same work without encryption."""
    with _stores(backend) as (sealed, plain):
        rows = [_write(backend, sealed, plain, write_runs)]
        for services in (sealed, plain):
            with sealing(services.app.salts):  # grow_story records outside the application's commands
                for n in range(max(1, events // STORY_EVENTS)):
                    grow_story(services.app, f"story-{n}", min(events, STORY_EVENTS))
        count = sum(1 for _ in sealed.app.recorder.select_notifications(1, 10**9))
        rebuild = interleaved(lambda: sealed.runner.rebuild(), lambda: plain.runner.rebuild(), runs)
        verify = interleaved(
            lambda: verify_store(sealed.app, keys=sealed.keys),
            lambda: verify_store(plain.app, keys=plain.keys),
            runs,
        )
    note = f"{count:,} notifications, stories of {STORY_EVENTS:,} events; median of {runs} interleaved"
    rows += [
        Row(REBUILD, backend, count / rebuild.subject, "/s", count / rebuild.baseline,
            "same store without encryption", at_least(0.8), note),
        Row(VERIFY, backend, count / verify.subject, "/s", count / verify.baseline,
            "same store without encryption", at_least(0.8), note),
    ]  # fmt: skip
    return Findings(rows=rows)


def _write(backend: str, sealed: Services, plain: Services, runs: int) -> Row:
    for services in (sealed, plain):
        services.app.open_story("bench", "A live blog", editor=EDITOR)
    paired = interleaved(
        lambda: sealed.app.post_update("bench", TITLE, BODY, editor=EDITOR),
        lambda: plain.app.post_update("bench", TITLE, BODY, editor=EDITOR),
        runs,
        warmup=3,
    )
    return Row(
        WRITE, backend, paired.subject, "s", paired.baseline,
        "the same command without encryption", at_most(1.2),
        f"median of {runs} interleaved; a key made per update, words sealed with AES-256-GCM",
    )  # fmt: skip
