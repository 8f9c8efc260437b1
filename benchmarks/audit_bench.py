"""Audit rates beside the library alone reading the same events back into domain events.

    python -m benchmarks.audit_bench [--events N] [--runs R] [--stores sqlite postgresql]

Verification re-reads every event and recomputes every hash; the target is at least half the
library's own read rate. The transcoder-only path, exports and the log are measured beside it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks import report
from benchmarks.floor_bench import read_domain_events
from benchmarks.rows import Findings, Row, Target, at_least
from benchmarks.stores import POSTGRES, SQLITE, available_backends, fresh_store
from benchmarks.stories import grow_story
from benchmarks.timing import interleaved
from domain.application import Newsroom
from domain.story import STORY_TOPICS
from infrastructure.audit.export import read_export, write_export
from infrastructure.audit.log import read_log
from infrastructure.audit.records import RecordDecoder, notification_pages
from infrastructure.audit.verify import Verification, verify_chains, verify_store
from infrastructure.bootstrap import bootstrap

STORY_TOPICS_SORTED = sorted(STORY_TOPICS)

STORY_EVENTS = 1_000
VERIFY_TARGET = at_least(0.5)
BASELINE = "the library reading every story event back into a domain event"

VERIFY = "audit verify of the store"
VERIFY_TRANSCODER = "audit verify, every event by the transcoder's path"
EXPORT = "audit export (JSON lines written)"
VERIFY_EXPORT = "audit verify --export (no database)"
LOG = "newsroom log of every event"


def audit_rates(backend: str, events: int, runs: int) -> Findings:
    """Events per second of each audit operation, each timed interleaved with the library's read."""
    with fresh_store(backend) as store:
        services = bootstrap(store.url)
        app = services.app
        try:
            for n in range(max(1, events // STORY_EVENTS)):
                grow_story(app, f"story-{n}", min(events, STORY_EVENTS))
            # The story events, which audits read; the library reads the same ones.
            count = read_domain_events(app, STORY_TOPICS_SORTED)
            _check(verify_store(app), count)
            _check(verify_by_transcoder(app), count)
            export_file = Path(store.folder) / "record.jsonl"
            subjects: list[tuple[str, Callable[[], object], Target | None, str]] = [
                (
                    VERIFY,
                    lambda: verify_store(app, keys=services.keys),
                    VERIFY_TARGET,
                    "every hash recomputed, every link checked, every sealed event's key accounted for",
                ),
                (
                    VERIFY_TRANSCODER,
                    lambda: verify_by_transcoder(app),
                    None,
                    "no shortcut: transcoder.decode, then domain.chain.event_content + hash_content",
                ),
                (EXPORT, lambda: _export(app, export_file), None, "to a file on the same disk"),
                (
                    VERIFY_EXPORT,
                    lambda: verify_chains(read_export(export_file)),
                    None,
                    "the export file alone",
                ),
                (LOG, lambda: sum(1 for _ in read_log(app)), None, "every entry built, none printed"),
            ]
            rows = []
            for figure, subject, target, note in subjects:
                paired = interleaved(subject, lambda: read_domain_events(app, STORY_TOPICS_SORTED), runs)
                rows.append(
                    Row(
                        figure,
                        backend,
                        count / paired.subject,
                        "/s",
                        count / paired.baseline,
                        BASELINE,
                        target,
                        f"{count:,} events, stories of {STORY_EVENTS:,}; {note}; median of {runs}",
                    )
                )
        finally:
            services.close()
    return Findings(rows=rows)


def verify_by_transcoder(app: Newsroom) -> Verification:
    """Verification with every event decoded by the application's transcoder, as the slow reference."""
    decoder = RecordDecoder(app.mapper, shortcut=False)
    records = (decoder.record(n) for page in notification_pages(app, sorted(STORY_TOPICS)) for n in page)
    return verify_chains(records)


def _export(app: Newsroom, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        write_export(app, out)


def _check(verification: Verification, count: int) -> None:
    if not verification.intact or verification.events != count:
        raise AssertionError(f"the benchmark store does not verify: {verification.breaks[:3]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.audit_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--events", type=int, default=100_000, help="events in the store (default 100,000)")
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs of each measurement")
    parser.add_argument(
        "--stores", nargs="+", choices=[SQLITE, POSTGRES], help="default: every one available"
    )
    args = parser.parse_args(argv)

    rows: list[Row] = []
    for backend in [s for s in available_backends() if not args.stores or s in args.stores]:
        print(f"· audit on {backend}: {args.events:,} events ...", file=sys.stderr, flush=True)
        rows += audit_rates(backend, args.events, args.runs).rows
    print(report.table(rows))
    for row in rows:
        target = f" (target {row.target.describe()}: {'met' if row.met else 'NOT met'})" if row.target else ""
        print(f"{row.figure} on {row.store}: {row.ratio:.2f}x the library's read rate{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
