"""Chain records and the pure verifier, on events held in memory: no database needed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.chain import GENESIS_HASH, canonical, event_content, hash_content
from domain.story import STORY_TOPICS, Story
from infrastructure.audit import records
from infrastructure.audit.records import ChainRecord, RecordDecoder
from infrastructure.audit.verify import BreakKind, verify_chains
from infrastructure.bootstrap import build_newsroom
from infrastructure.keys import MemoryKeyStore
from tests.conftest import StepClock
from tests.support.every_event import (
    NOTE,
    ORDER,
    post_one_to_take_down,
    record_every_event,
    take_down_earlier_words,
)

SLUG = "syria-summit"


@pytest.fixture(scope="module")
def stored() -> list[Notification]:
    """Every event type written as before sealing: the words (blocks) in the stored JSON."""
    app = build_newsroom(clock=StepClock())
    record_every_event(app, SLUG)
    # The story's events: audits pass over every other aggregate's (update digests, requests).
    return list(app.recorder.select_notifications(1, 100, topics=sorted(STORY_TOPICS)))


@pytest.fixture(scope="module")
def stored_sealed() -> list[Notification]:
    """Every event type, sealed as stores are written now, the takedowns included."""
    app = build_newsroom(clock=StepClock(), keys=MemoryKeyStore())
    record_every_event(app, SLUG)
    app.take_down_update(SLUG, post_one_to_take_down(app, SLUG), order=ORDER, note=NOTE, editor="ann")
    take_down_earlier_words(app, SLUG)
    return list(app.recorder.select_notifications(1, 100, topics=sorted(STORY_TOPICS)))


@pytest.fixture(scope="module")
def mapper():  # type: ignore[no-untyped-def]
    return build_newsroom().mapper


def exact_hash_holds(record: ChainRecord) -> bool:
    """The reference verdict: the transcoder's state, hashed by domain.chain."""
    if record.state is None:
        return False
    content = event_content(record.topic, record.story_id, record.version, record.state)
    return hash_content(content) == record.state.get("hash")


def test_the_stored_story_covers_every_event_type(
    stored: list[Notification], stored_sealed: list[Notification]
) -> None:
    assert {n.topic for n in stored} | {n.topic for n in stored_sealed} == STORY_TOPICS


def test_sealed_events_are_confirmed_by_their_commitments_as_the_transcoder_path_does(
    stored_sealed: list[Notification], mapper
) -> None:
    fast, exact = RecordDecoder(mapper), RecordDecoder(mapper, shortcut=False)

    for notification in stored_sealed:
        confirmed, decoded = fast.record(notification), exact.record(notification)
        assert confirmed.hash_checked, notification.topic
        assert decoded.state is not None and exact_hash_holds(decoded)
        assert confirmed.state == canonical(decoded.state)
        assert "sealed" not in confirmed.state


def test_every_event_type_is_confirmed_with_the_values_the_transcoder_path_gives(
    stored: list[Notification], mapper
) -> None:
    fast, exact = RecordDecoder(mapper), RecordDecoder(mapper, shortcut=False)

    for notification in stored:
        confirmed, decoded = fast.record(notification), exact.record(notification)
        assert confirmed.hash_checked, notification.topic
        assert decoded.state is not None and exact_hash_holds(decoded)
        assert confirmed.state == canonical(decoded.state)


def test_the_view_shapes_event_content_as_the_domain_does(stored: list[Notification], mapper) -> None:
    for notification in stored:
        state = RecordDecoder(mapper).record(notification).state
        assert state is not None
        fields = {k: v for k, v in state.items() if k != "hash"}
        args = (notification.topic, notification.originator_id, notification.originator_version)
        assert records._event_content(*args, fields) == event_content(*args, fields)


def with_state(notification: Notification, state: bytes) -> Notification:
    return dataclasses.replace(notification, state=state)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_no_changed_byte_is_confirmed_unless_the_transcoder_path_agrees(
    stored: list[Notification], mapper, data: st.DataObject
) -> None:
    notification = data.draw(st.sampled_from(stored))
    position = data.draw(st.integers(0, len(notification.state) - 1))
    byte = data.draw(st.integers(0, 255))
    state = notification.state
    changed = with_state(notification, state[:position] + bytes([byte]) + state[position + 1 :])

    if RecordDecoder(mapper).record(changed).hash_checked:
        assert exact_hash_holds(RecordDecoder(mapper, shortcut=False).record(changed))


MOMENT = b'{"_type_":"datetime_iso","_data_":"2013-05-10T09:00:00+00:00"}'
PARAGRAPH = b'{"_type_":"paragraph","_data_":{"text":"Leaders *meet* in Sochi."}}'


@pytest.mark.parametrize(
    ("old", "new", "confirmed", "holds"),
    [
        # The same moment written another way: the view defers, the transcoder reads the same moment.
        (b"T09:00:00+00:00", b"T09:00:00.000000+00:00", False, True),
        # A block field left to its default: the view defers, the transcoder fills the default in.
        (b',"attribution":null', b"", False, True),
        # A tag no transcoding knows: the view defers and the transcoder cannot decode it.
        (b'"_type_":"quote"', b'"_type_":"quotation"', False, False),
        # Text wrapped as a moment, or a block given a key its class lacks: the same JSON values
        # for the view, but the transcoder cannot decode them, so the view must not confirm them.
        (b'"editor":"ann"', b'"editor":{"_type_":"datetime_iso","_data_":"ann"}', False, False),
        (b'"_data_":{"text":"We need', b'"_data_":{"kind":"quote","text":"We need', False, False),
        # Rewrites that change only a value's type, not the JSON value the hash covers, pass both:
        # the chain vouches for the values readers see, not for how the store typed them.
        (MOMENT, b'"2013-05-10T09:00:00+00:00"', True, True),
        (PARAGRAPH, b'{"kind":"paragraph","text":"Leaders *meet* in Sochi."}', True, True),
    ],
)
def test_stored_json_rewritten_is_judged_as_the_transcoder_path_judges_it(
    stored: list[Notification], mapper, old: bytes, new: bytes, confirmed: bool, holds: bool
) -> None:
    notification = next(n for n in stored if old in n.state)
    changed = with_state(notification, notification.state.replace(old, new, 1))

    fast = RecordDecoder(mapper).record(changed)
    exact = RecordDecoder(mapper, shortcut=False).record(changed)

    assert (fast.hash_checked, exact_hash_holds(exact)) == (confirmed, holds)
    assert fast.hash_checked or fast == exact


# The pure verifier, on records built by hand.


def chain(*versions: int, slug: str = SLUG) -> Iterator[ChainRecord]:
    """Records of a story at `versions`, each correctly chained to the version before it."""
    story_id = Story.id_for(slug)
    previous = GENESIS_HASH
    for version in range(1, max(versions) + 1):
        topic = records.OPENED_TOPIC if version == 1 else get_topic(Story.Published)
        state = {"editor": "ann", "previous_hash": previous}
        if version == 1:
            state["slug"] = slug
        state["hash"] = hash_content(event_content(topic, story_id, version, state))
        previous = state["hash"]
        if version in versions:
            yield ChainRecord(topic, story_id, version, state)


def found(*record_streams: Iterator[ChainRecord]) -> list[tuple[str, int, BreakKind]]:
    verification = verify_chains(record for stream in record_streams for record in stream)
    return [(b.slug, b.version, b.kind) for b in verification.breaks]


def test_records_in_any_order_verify() -> None:
    assert found(reversed(list(chain(1, 2, 3)))) == []


def test_a_gap_is_one_break_naming_every_missing_version() -> None:
    verification = verify_chains(chain(1, 2, 6))

    assert [(b.version, b.kind) for b in verification.breaks] == [(3, BreakKind.EVENT_MISSING)]
    assert "versions 3 to 5 are missing" in verification.breaks[0].detail


def test_a_version_given_twice_breaks_the_sequence() -> None:
    assert found(chain(1, 2, 3), chain(2)) == [(SLUG, 2, BreakKind.SEQUENCE_BROKEN)]


def test_a_story_without_its_opened_event_is_named_by_its_id() -> None:
    assert found(chain(2, 3)) == [(str(Story.id_for(SLUG)), 1, BreakKind.EVENT_MISSING)]


def test_records_of_other_aggregates_are_ignored() -> None:
    stranger = ChainRecord("somewhere:Else", Story.id_for("x"), 1, {"anything": 1})

    assert found(chain(1, 2), iter([stranger])) == []
