"""The update ledger the Story keeps: compact rows in snapshots, facts when a command looks."""

from __future__ import annotations

from domain.blocks import Paragraph, Quote
from domain.story import Story
from domain.update import Update, UpdateFacts, UpdateLedger, body_digest
from tests.unit.given import T0

BODY = (Paragraph("Words."), Quote("We are hopeful.", "The spokesman"))


def test_a_ledger_read_back_from_its_rows_gives_the_same_facts() -> None:
    facts = UpdateFacts.posted(1, "Title", BODY, key_event=True)
    ledger = UpdateLedger([facts])

    again = UpdateLedger(ledger.rows())

    assert again[0] == facts and list(again) == [facts] and again == ledger


def test_a_version_1_snapshot_of_whole_updates_is_upcast_to_facts() -> None:
    state = {"updates": [Update(1, "Title", None, BODY, T0, key_event=True, retracted=True)]}

    Story.upcast_v1_v2(state)

    assert list(state["updates"]) == [
        UpdateFacts(1, "Title", body_digest(BODY), (BODY[1],), key_event=True, retracted=True)
    ]
