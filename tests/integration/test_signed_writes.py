"""Writes on a store that signs, on real stores: each story and roster event is signed by its
author's own key before it is saved (its hash, under the store's namespace); a key that is not the
acting member's, a revoked key or no key at all is refused and nothing is recorded; a store with
no keys on its roster, or no roster, stores what it always did."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from domain.application import Newsroom
from domain.chain import SIGNATURE_FIELD
from domain.errors import KeyNotTheirs, NoSigningKey
from domain.signing import PublicKey, namespace_for, signed_message
from domain.staff import Roster
from domain.story import Story
from infrastructure.bootstrap import Services
from infrastructure.signers import Signers
from infrastructure.sshsig import Signature
from tests.support.ssh_agent import running_agent
from tests.support.ssh_keys import KeyShelf, signing_with

SLUG = "inquiry"


def key(ssh_keys: KeyShelf, name: str) -> PublicKey:
    return PublicKey.parse(ssh_keys(name).line)


def signature_of(event: Any) -> Signature:
    return Signature.parse(base64.b64decode(getattr(event, SIGNATURE_FIELD)))


def namespace(app: Newsroom) -> str:
    signatures = app.get_signatures()
    assert signatures is not None
    return namespace_for(signatures.store_id)


@pytest.fixture
def signing(app: Newsroom, ssh_keys: KeyShelf) -> Newsroom:
    signing_with(app, ssh_keys)
    app.add_staff("ann", ["admin"], editor="ann", keys=[key(ssh_keys, "ann")])
    app.add_staff("ed", ["editor", "legal"], editor="ann", keys=[key(ssh_keys, "ed")])
    app.add_staff("cat", ["contributor"], editor="ann", keys=[key(ssh_keys, "cat")])
    return app


def test_each_story_event_is_signed_by_its_author_s_key_over_its_hash(
    signing: Newsroom, ssh_keys: KeyShelf
) -> None:
    signing.open_story(SLUG, "An inquiry", editor="ed")
    signing.post_update(SLUG, "Opening", "Words.", editor="ed")
    signing.submit_update(SLUG, "Offered", "From the field.", editor="cat")

    events = signing.get_events(SLUG)

    signers = [signature_of(e).key.fingerprint for e in events]
    assert signers == [key(ssh_keys, "ed").fingerprint] * 2 + [key(ssh_keys, "cat").fingerprint]
    assert all(signature_of(e).verifies(signed_message(e.hash), namespace(signing)) for e in events)
    assert not signature_of(events[0]).verifies(signed_message(events[1].hash), namespace(signing))


def test_the_roster_is_chained_and_each_change_signed_by_the_admin_the_first_by_herself(
    signing: Newsroom, ssh_keys: KeyShelf
) -> None:
    history = signing.get_staff_history()

    assert [e.previous_hash for e in history[1:]] == [e.hash for e in history[:-1]]
    assert {signature_of(e).key.fingerprint for e in history} == {key(ssh_keys, "ann").fingerprint}
    assert all(signature_of(e).verifies(signed_message(e.hash), namespace(signing)) for e in history)
    assert signing.get_signatures().roster_version == 1  # type: ignore[union-attr]


def test_a_key_that_is_not_the_acting_member_s_is_refused_and_nothing_recorded(
    signing: Newsroom, ssh_keys: KeyShelf
) -> None:
    signing.open_story(SLUG, "An inquiry", editor="ed")
    before = signing.recorder.max_notification_id()
    signing_with(signing, ssh_keys, "cat")

    with pytest.raises(KeyNotTheirs, match="is not one of ed's current keys") as refused:
        signing.post_update(SLUG, "Forged", "Words.", editor="ed")
    with pytest.raises(KeyNotTheirs):
        signing.add_staff("mallory", ["admin"], editor="ann")

    assert refused.value.fingerprints == (key(ssh_keys, "cat").fingerprint,)
    assert signing.recorder.max_notification_id() == before


def test_no_key_at_all_is_refused_and_nothing_recorded(signing: Newsroom) -> None:
    before = signing.recorder.max_notification_id()
    signing.signers = None

    with pytest.raises(NoSigningKey):
        signing.open_story(SLUG, "An inquiry", editor="ed")

    assert signing.recorder.max_notification_id() == before


def test_a_revoked_key_signs_nothing_more(signing: Newsroom, ssh_keys: KeyShelf) -> None:
    signing.open_story(SLUG, "An inquiry", editor="ed")
    signing.add_staff_key("ed", key(ssh_keys, "ed-new"), editor="ann")
    signing.revoke_staff_key("ed", key(ssh_keys, "ed"), editor="ann")
    signing_with(signing, ssh_keys, "ed")

    with pytest.raises(KeyNotTheirs):
        signing.post_update(SLUG, "Late", "Words.", editor="ed")
    signing_with(signing, ssh_keys, "ed-new")
    signing.post_update(SLUG, "Rotated", "Words.", editor="ed")

    assert signature_of(signing.get_events(SLUG)[-1]).key == key(ssh_keys, "ed-new")


def test_a_real_ssh_agent_signs_a_command(
    signing: Newsroom, ssh_keys: KeyShelf, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_agent(tmp_path, ssh_keys("ed").private) as agent_socket:
        monkeypatch.setenv("SSH_AUTH_SOCK", agent_socket)
        monkeypatch.delenv("NEWSROOM_SIGNING_KEY", raising=False)
        signing.signers = Signers()
        signing.open_story(SLUG, "An inquiry", editor="ed")

    (opened,) = signing.get_events(SLUG)
    assert signature_of(opened).key == key(ssh_keys, "ed")
    assert signature_of(opened).verifies(signed_message(opened.hash), namespace(signing))


def test_a_roster_without_keys_signs_nothing_as_before(app: Newsroom) -> None:
    app.add_staff("ann", ["admin"], editor="ann")
    app.add_staff("ed", ["editor"], editor="ann")
    app.open_story(SLUG, "An inquiry", editor="ed")

    assert app.get_signatures() is None
    assert not any(hasattr(e, SIGNATURE_FIELD) for e in [*app.get_events(SLUG), *app.get_staff_history()])


def test_a_store_without_a_roster_stores_no_signature(app: Newsroom, newsroom: Services) -> None:
    app.open_story(SLUG, "An inquiry", editor="anyone")

    stored = app.recorder.select_events(Story.id_for(SLUG))
    assert [SIGNATURE_FIELD in vars(app.mapper.to_domain_event(s)) for s in stored] == [False]
    assert not list(app.recorder.select_events(Roster.ID))
    assert app.get_signatures() is None
