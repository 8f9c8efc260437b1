"""The staff's keys on real stores: registered and revoked through the application, read back by a
new process, and still readable after the member is erased (their name sealed, the key in clear),
so that what they signed still verifies."""

from __future__ import annotations

import pytest

from domain.application import Newsroom
from domain.chain import ERASED_NAME
from domain.errors import KeyAlreadyRegistered, NotPermitted
from domain.signing import PublicKey
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.erasure import erase_person
from tests.support.ssh_keys import KeyShelf, signing_with
from tests.support.store_bytes import encodings, store_files

NAME = "Zoë Quarrington-Ülker"


def key(ssh_keys: KeyShelf, name: str) -> PublicKey:
    return PublicKey.parse(ssh_keys(name).line)


@pytest.fixture
def keyed(app: Newsroom, ssh_keys: KeyShelf) -> Newsroom:
    signing_with(app, ssh_keys)
    app.add_staff("root", ["admin"], editor="root", keys=[key(ssh_keys, "root")])
    app.add_staff(NAME, ["editor"], editor="root", keys=[key(ssh_keys, "zoe")])
    return app


def test_keys_are_read_back_by_a_new_process_with_their_versions(
    keyed: Newsroom, newsroom: Services, store_url: str, ssh_keys: KeyShelf
) -> None:
    keyed.add_staff_key(NAME, key(ssh_keys, "zoe-laptop"), editor="root")
    keyed.revoke_staff_key(NAME, key(ssh_keys, "zoe"), editor="root")

    fresh = bootstrap(store_url, clock=newsroom.clock)
    held = [(k.member, k.fingerprint, k.registered, k.revoked) for k in fresh.app.get_staff_keys()]
    fresh.close()

    assert held == [
        ("root", key(ssh_keys, "root").fingerprint, 3, None),
        (NAME, key(ssh_keys, "zoe").fingerprint, 5, 7),
        (NAME, key(ssh_keys, "zoe-laptop").fingerprint, 6, None),
    ]


def test_a_refused_key_change_records_nothing(keyed: Newsroom, ssh_keys: KeyShelf) -> None:
    before = keyed.recorder.max_notification_id()

    with pytest.raises(KeyAlreadyRegistered):
        keyed.add_staff_key(NAME, key(ssh_keys, "root"), editor="root")
    with pytest.raises(NotPermitted):
        keyed.add_staff_key(NAME, key(ssh_keys, "zoe-laptop"), editor=NAME)

    assert keyed.recorder.max_notification_id() == before


def test_after_an_erasure_the_key_stays_and_the_name_is_sealed(
    keyed: Newsroom, newsroom: Services, store_url: str, ssh_keys: KeyShelf
) -> None:
    erase_person(newsroom, NAME, request="DSAR-1", editor="root")

    fresh = bootstrap(store_url, clock=newsroom.clock)
    held = [(k.member, k.public_key, k.registered) for k in fresh.app.get_staff_keys()]
    fresh.close()

    assert held[1] == (ERASED_NAME, key(ssh_keys, "zoe").openssh, 5)
    stored = b"".join(file.read_bytes() for file in store_files(store_url))
    assert key(ssh_keys, "zoe").openssh.split()[1].encode() in stored
    assert not any(form in stored for form in encodings(NAME))
