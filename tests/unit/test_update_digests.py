"""The digests an update's rules compare with: recorded beside the story events that change them,
folded back from their own events, and what older Story snapshots become."""

from __future__ import annotations

from types import SimpleNamespace

from domain.blocks import Paragraph, Quote
from domain.markdown_body import parse_body
from domain.page import Update
from domain.story import Story
from domain.update import QuoteDigests, body_digest, text_digest
from domain.update_digests import UpdateDigests
from spec_kit import EDITOR, T0, event, given

BODY = (Paragraph("Words."), Quote("We are hopeful.", "The spokesman"))
QUOTED = "Intro.\n\n> We are hopeful.\n>\n> – The spokesman"


def test_a_post_records_the_digests_of_its_title_body_and_quotes() -> None:
    outcome = given(event(Story.Opened)).when(
        lambda story, _: story.post_update("Title", BODY, editor=EDITOR, at=T0)
    )

    story, update = outcome.story, outcome.updates[1]
    assert story is not None and [type(e).__name__ for e in outcome.digest_events[1]] == ["Posted"]
    assert (update.story_id, update.number, update.id) == (story.id, 1, UpdateDigests.id_for(story.id, 1))
    assert update.has_title("Title") and not update.has_title("Title.")
    assert update.has_body(BODY) and not update.has_body(BODY[:1])
    assert update.quotes == (QuoteDigests.of(BODY[1]),)
    assert update.quotes[0].has_text("We are hopeful.") and update.quotes[0].has_attribution("The spokesman")


def test_a_revision_records_the_new_digests_beside_the_story_event() -> None:
    outcome = given(event(Story.Opened), event(Story.UpdatePosted, title="Title", body=QUOTED)).when(
        lambda story, updates: story.revise_update(
            updates[1], title="New", body=parse_body("Plain."), reason="Fix", editor=EDITOR, at=T0
        )
    )

    update = outcome.updates[1]
    assert [type(e).__name__ for e in outcome.digest_events[1]] == ["Changed"]
    assert update.has_title("New") and update.has_body(parse_body("Plain.")) and update.quotes == ()


def test_digests_fold_back_from_their_events() -> None:
    update = given(
        event(Story.Opened),
        event(Story.UpdatePosted, title="Title", body=QUOTED),
        event(Story.QuoteCorrected, number=1, quote=1, attribution=""),
        event(Story.UpdateRevised, number=1, title="Later"),
    ).updates[1]

    assert update.has_title("Later") and update.body is None  # a correction changed the body
    assert update.quotes[0].has_text("We are hopeful.") and update.quotes[0].has_attribution("")


def test_an_update_posted_before_digests_were_kept_apart_is_adopted_from_its_words() -> None:
    words = Update(2, "Title", None, BODY, T0)

    adopted = UpdateDigests.adopted(Story.id_for("syria"), words, T0)

    assert (adopted.number, adopted.has_title("Title"), adopted.has_body(BODY)) == (2, True, True)
    assert adopted.quotes == (QuoteDigests.of(BODY[1]),)


def test_a_version_1_snapshot_of_whole_updates_keeps_counts_and_flags() -> None:
    state = {
        "updates": [
            # As the stored snapshot is read back (`domain/transcodings.py`): these fields are read.
            SimpleNamespace(number=1, title="Title", body=BODY, key_event=True, retracted=False),
            SimpleNamespace(number=2, title="Other", body=BODY, key_event=False, retracted=True),
        ]
    }

    Story.upcast_v1_v2(state)
    Story.upcast_v2_v3(state)

    assert state == {"update_count": 2, "retracted": [2], "key_events": [1]}


def test_digests_are_short_fingerprints() -> None:
    assert len(text_digest("Title")) == len(body_digest(BODY)) == 16
    assert text_digest("Title") != text_digest("Title ")
