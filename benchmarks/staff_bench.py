"""What the roster check costs a write command, in process, beside the write rows.

The check reads one row (the member's card's latest event; with no card, whether there is a
roster at all). Measured against the same application with the check taken out, on the same
store in the same run; and a write by an editor on a roster of 500 staff after 10,000 role
changes against one of 5.
"""

from __future__ import annotations

from benchmarks.rows import Findings, Row, at_most
from benchmarks.stores import fresh_store
from benchmarks.stories import BODY, EDITOR, TITLE
from benchmarks.timing import interleaved
from domain.application import Newsroom
from domain.commands import Command
from domain.staff import Roster
from infrastructure.bootstrap import bootstrap
from infrastructure.store import parse_url
from infrastructure.transcodings import NEWSROOM_TRANSCODINGS

CHECKED = "a write command with the roster check (an editor on a staffed store)"
NO_ADMIN = "a write command with the roster check (a store with no admin)"
LARGE = "a write command, roster of {staff} staff after {changes:,} role changes"


class Unchecked(Newsroom):
    """The application with the roster check taken out: every command done as an editor."""

    name = "Newsroom"  # the same tables as the checked application's

    def authorise(self, editor: str, command: Command) -> str | None:
        return self.role

    role: str | None = "editor"


def _unchecked(url: str, role: str | None, like: Newsroom) -> Unchecked:
    """Wired as `like` (sealing with the same keys, retrying alike), the check taken out."""
    app = Unchecked(
        env=parse_url(url).env,
        transcodings=NEWSROOM_TRANSCODINGS,
        clock=like.clock,
        retry=like.retry,
        salts=like.salts,
        sealed_mapper=like.sealed_mapper,
        card_ids=like.card_ids,
    )
    app.role = role
    return app


def roster_check_write(backend: str, runs: int) -> Findings:
    """`post_update` by an editor, checked against the roster, beside the same write unchecked;
    on a staffed store and on one with no admin."""
    return Findings(
        rows=[_checked_write(backend, runs, staffed=True), _checked_write(backend, runs, staffed=False)]
    )


def _checked_write(backend: str, runs: int, *, staffed: bool) -> Row:
    with fresh_store(backend) as store:
        app = bootstrap(store.url).app
        bare = _unchecked(store.url, "editor" if staffed else None, app)
        try:
            if staffed:
                app.add_staff("root", ["admin"], editor="root")
                app.add_staff(EDITOR, ["editor"], editor="root")
            app.open_story("checked", "A live blog", editor=EDITOR)
            app.open_story("unchecked", "A live blog", editor=EDITOR)
            paired = interleaved(
                lambda: app.post_update("checked", TITLE, BODY, editor=EDITOR),
                lambda: bare.post_update("unchecked", TITLE, BODY, editor=EDITOR),
                runs,
                warmup=3,
            )
        finally:
            app.close()
            bare.close()
    return Row(
        CHECKED if staffed else NO_ADMIN, backend, paired.subject, "s", paired.baseline,
        "the same command with the check taken out, same store", at_most(1.10),
        f"median of {runs} interleaved; the check reads the editor's card's latest event"
        + ("" if staffed else ", then finds no roster"),
    )  # fmt: skip


def large_roster_write(backend: str, staff: int, changes: int, runs: int) -> Findings:
    """`post_update` by an editor on a large, much-changed roster, beside one on a roster of 5."""
    with fresh_store(backend) as large_store, fresh_store(backend) as small_store:
        large, small = bootstrap(large_store.url).app, bootstrap(small_store.url).app
        try:
            _staff(small, 5, 5)
            _staff(large, staff, changes)
            for app in (large, small):
                app.open_story("bench", "A live blog", editor=EDITOR)
            paired = interleaved(
                lambda: large.post_update("bench", TITLE, BODY, editor=EDITOR),
                lambda: small.post_update("bench", TITLE, BODY, editor=EDITOR),
                runs,
                warmup=3,
            )
        finally:
            large.close()
            small.close()
    row = Row(
        LARGE.format(staff=staff, changes=changes), backend, paired.subject, "s", paired.baseline,
        "the same command, roster of 5 staff", at_most(1.10),
        f"median of {runs} interleaved; the check reads one card, whatever the roster's size; "
        f"the roster itself is snapshotted every {Newsroom.snapshotting_intervals[Roster]} changes",
    )  # fmt: skip
    return Findings(rows=[row])


def _staff(app: Newsroom, staff: int, changes: int) -> None:
    """`staff` members (the first the admin, the bench's editor among them), then role changes
    (granting and revoking the legal desk in turn, member by member) up to `changes` in all."""
    app.add_staff("root", ["admin"], editor="root")
    app.add_staff(EDITOR, ["editor"], editor="root")
    names = [f"reporter-{n}" for n in range(staff - 2)]
    for name in names:
        app.add_staff(name, ["contributor"], editor="root")
    made, turn = staff, 0
    while made < changes:
        name = names[turn % len(names)]
        if (turn // len(names)) % 2 == 0:
            app.grant_role(name, "legal", editor="root")
        else:
            app.revoke_role(name, "legal", editor="root")
        made, turn = made + 1, turn + 1
