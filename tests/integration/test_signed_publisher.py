"""The publisher on a store that signs, on real stores: it signs what it publishes with the system
identity's key (`NEWSROOM_SYSTEM_KEY`, registered as `scheduler`'s), which `audit verify` proves;
without a key it publishes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import NoSigningKey
from domain.schedule import SCHEDULER
from domain.signing import PublicKey
from infrastructure.audit.authorship import verify_authorship
from infrastructure.bootstrap import Services
from infrastructure.signers import Signers
from tests.support.ssh_keys import KeyShelf, signing_with

SLUG = "vote"
NOON = datetime(2013, 5, 10, 12, 0, tzinfo=UTC)


def key(ssh_keys: KeyShelf, name: str) -> PublicKey:
    return PublicKey.parse(ssh_keys(name).line)


@pytest.fixture
def scheduled(newsroom: Services, ssh_keys: KeyShelf) -> Services:
    app = signing_with(newsroom.app, ssh_keys, "ann")
    app.add_staff("ann", ["admin", "editor"], editor="ann", keys=[key(ssh_keys, "ann")])
    app.add_staff_key(SCHEDULER, key(ssh_keys, "system"), editor="ann")
    app.open_story(SLUG, "The vote", editor="ann")
    app.publish_story(SLUG, editor="ann")
    app.schedule_update(SLUG, "Result", "It passed.", publish_at=NOON, editor="ann")
    return newsroom


def test_the_publisher_signs_with_the_system_key_and_the_audit_proves_it(
    scheduled: Services, ssh_keys: KeyShelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSROOM_SYSTEM_KEY", str(ssh_keys("system").private))
    scheduled.app.signers = Signers()

    [publication] = scheduled.publisher.publish_due(NOON)

    assert publication.published_at == NOON
    found = verify_authorship(scheduled.app)
    assert (found.proven, found.problems) == (True, [])
    assert found.signers[SCHEDULER] == {key(ssh_keys, "system").fingerprint}


def test_without_the_system_key_the_publisher_records_nothing(
    scheduled: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSROOM_SYSTEM_KEY", raising=False)
    scheduled.app.signers = Signers()
    before = scheduled.app.recorder.max_notification_id()

    with pytest.raises(NoSigningKey, match="scheduler"):
        scheduled.publisher.publish_due(NOON)

    assert scheduled.app.recorder.max_notification_id() == before


def test_a_follower_s_round_without_the_system_key_goes_on_and_says_why(
    scheduled: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSROOM_SYSTEM_KEY", raising=False)
    scheduled.app.signers = Signers()
    scheduled.publisher.clock = lambda: NOON

    assert scheduled.publisher.tick() == []
    assert isinstance(scheduled.publisher.refused, NoSigningKey)
