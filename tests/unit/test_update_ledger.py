"""The update ledger the Story keeps: digests packed in one text in snapshots, facts when a
command looks, and older snapshots upcast to it."""

from __future__ import annotations

from functools import partial

from domain.blocks import Paragraph, Quote
from domain.story import Story
from domain.update import QuoteFacts, Update, UpdateFacts, UpdateLedger, body_digest, text_digest
from tests.unit.given import T0

BODY = (Paragraph("Words."), Quote("We are hopeful.", "The spokesman"))


def test_a_ledger_read_back_from_its_packed_text_gives_the_same_facts() -> None:
    first = UpdateFacts.posted(1, "Title", BODY, key_event=True)
    second = UpdateFacts.posted(2, "Other", (Paragraph("No quote."),), key_event=False)
    corrected = replace_retracted(first.with_quote(1, None, ""))
    ledger = UpdateLedger.of([corrected, second])

    again = UpdateLedger(ledger.packed(), len(ledger))

    assert list(again) == [corrected, second] and again == ledger


def replace_retracted(facts: UpdateFacts) -> UpdateFacts:
    return UpdateFacts(facts.number, facts.title, facts.body, facts.quotes, facts.key_event, retracted=True)


def test_a_post_appended_to_a_loaded_ledger_is_worked_out_only_when_looked_at() -> None:
    calls = []

    def posted() -> UpdateFacts:
        calls.append(2)
        return UpdateFacts.posted(2, "Later", BODY, key_event=False)

    loaded = UpdateLedger(UpdateFacts.posted(1, "Title", BODY, key_event=False).packed(), 1)
    loaded.append(posted)

    assert len(loaded) == 2 and calls == []
    assert loaded[1].has_title("Later") and calls == [2]
    assert loaded[0].has_title("Title")


def test_facts_compare_digests_of_words() -> None:
    facts = UpdateFacts.posted(1, "Title", BODY, key_event=False)

    assert facts.has_title("Title") and not facts.has_title("Title.")
    assert facts.has_body(BODY) and not facts.has_body(BODY[:1])
    assert facts.quotes == (QuoteFacts.of(BODY[1]),)
    assert facts.quotes[0].has_text("We are hopeful.") and facts.quotes[0].has_attribution("The spokesman")


def test_a_version_1_snapshot_of_whole_updates_is_upcast_to_facts() -> None:
    state = {"updates": [Update(1, "Title", None, BODY, T0, key_event=True, retracted=True)]}

    Story.upcast_v1_v2(state)
    Story.upcast_v2_v3(state)

    assert list(state["updates"]) == [
        UpdateFacts(1, text_digest("Title"), body_digest(BODY), (QuoteFacts.of(BODY[1]),), True, True)
    ]


def test_a_version_2_snapshot_row_is_upcast_keeping_its_body_digest() -> None:
    whole_digest = "718f7148a1a4d1b8" + "0" * 16  # version 2 kept 32 hex characters
    state = {"updates": [[1, "Title", whole_digest, [["We are hopeful.", None]], False, False]]}

    Story.upcast_v2_v3(state)

    [facts] = state["updates"]
    assert facts.body == "718f7148a1a4d1b8"
    assert facts.quotes[0].has_text("We are hopeful.") and facts.quotes[0].has_attribution("")


def test_a_lazily_posted_update_packs_like_one_worked_out_at_once() -> None:
    lazy = UpdateLedger()
    lazy.append(partial(UpdateFacts.posted, 1, "Title", BODY, True))

    assert lazy.packed() == UpdateLedger.of([UpdateFacts.posted(1, "Title", BODY, True)]).packed()
