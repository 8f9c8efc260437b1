"""`audit verify` proves who made each change, on real stores: each attack of a hostile member of
staff or database administrator is named by story (or staff roster) and version, and exit 1; a
store whose every change is signed passes, and one that never signed says so."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import newsroom as newsroom_cli
from domain.application import Newsroom
from domain.chain import chained_content, hash_content
from domain.signing import PublicKey, SigningAs, namespace_for, sign_as
from domain.story import Story
from infrastructure.audit.authorship import verify_authorship
from infrastructure.audit.verify import verify_store
from infrastructure.bootstrap import Services
from infrastructure.signers import KeyFileSigner
from tests.integration.tampering import RawEvents
from tests.support.ssh_keys import KeyShelf, signing_with

SLUG = "inquiry"


def key(ssh_keys: KeyShelf, name: str) -> PublicKey:
    return PublicKey.parse(ssh_keys(name).line)


def audit(store_url: str, *args: str) -> Result:
    return CliRunner().invoke(
        newsroom_cli, ["--db", store_url, "audit", "verify", *args], catch_exceptions=False
    )


def problems(store_url: str) -> list[tuple[str, int, str]]:
    result = audit(store_url, "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["authorship"]["problems"]
    return [(p["where"], p["version"], p["kind"]) for p in found]


@pytest.fixture
def signed(app: Newsroom, ssh_keys: KeyShelf) -> Newsroom:
    signing_with(app, ssh_keys)
    app.add_staff("ann", ["admin"], editor="ann", keys=[key(ssh_keys, "ann")])
    app.add_staff("ed", ["editor", "legal"], editor="ann", keys=[key(ssh_keys, "ed")])
    app.add_staff("cat", ["contributor"], editor="ann", keys=[key(ssh_keys, "cat")])
    app.open_story(SLUG, "An inquiry", editor="ed")
    app.post_update(SLUG, "Opening", "Words.", editor="ed")
    app.submit_update(SLUG, "Offered", "From the field.", editor="cat")
    return app


def forging(
    app: Newsroom, signer: Any = None, fingerprint_of: PublicKey | None = None, namespace: str | None = None
) -> None:
    """The application with its role and key checks stubbed out, as anyone holding the database
    URL can run it: commands sign with `signer` (None: unsigned), or record no signature at all."""

    def authorise(editor: str, command: Any) -> str:
        if signer is not None:
            assert fingerprint_of is not None
            own = app.get_signatures()
            sign_as(SigningAs(signer, fingerprint_of, namespace or own.namespace))  # type: ignore[union-attr]
        return "editor"

    app.authorise = authorise  # type: ignore[method-assign]


def test_a_store_whose_every_change_is_signed_is_proven(
    signed: Newsroom, store_url: str, ssh_keys: KeyShelf
) -> None:
    result = audit(store_url, "--trust", str(ssh_keys("ann").public))

    assert result.exit_code == 0, result.output
    assert "authorship: 10 signed events, each proven" in result.stdout
    assert (
        f"root of trust: key {key(ssh_keys, 'ann').fingerprint}, held to {ssh_keys('ann').public}"
        in result.stdout
    )


def test_without_trust_the_store_s_own_first_admin_is_trusted_and_it_says_so(
    signed: Newsroom, store_url: str
) -> None:
    result = audit(store_url)

    assert result.exit_code == 0, result.output
    assert "root of trust: the store's own first admin, key SHA256:" in result.stdout
    assert "give --trust FILE" in result.stdout


def test_a_trust_file_that_does_not_hold_the_root_fails(
    signed: Newsroom, store_url: str, ssh_keys: KeyShelf, tmp_path: Any
) -> None:
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"mallory@example.org {ssh_keys('mallory').openssh}\n", encoding="ascii")

    assert audit(store_url, "--trust", str(allowed)).exit_code == 1


def test_a_forged_event_written_through_the_library_is_unsigned(signed: Newsroom, store_url: str) -> None:
    forging(signed)
    signed.post_update(SLUG, "Forged", "Words.", editor="ed")

    assert problems(store_url) == [(SLUG, 4, "unsigned")]


def test_a_forged_event_signed_with_another_member_s_key_names_whose_key_it_is(
    signed: Newsroom, store_url: str, ssh_keys: KeyShelf
) -> None:
    forging(signed, KeyFileSigner(str(ssh_keys("cat").private)), key(ssh_keys, "cat"))
    signed.post_update(SLUG, "Forged", "Words.", editor="ed")

    assert problems(store_url) == [(SLUG, 4, "key not on the roster")]
    assert "is cat's, not ed's" in audit(store_url).stdout


def test_a_forged_event_written_with_sql_is_caught(signed: Newsroom, store_url: str) -> None:
    raw = RawEvents(store_url)
    story_id = Story.id_for(SLUG)
    [(topic, state)] = raw.run(
        f"SELECT topic, state FROM {raw.table} WHERE originator_id = ? AND originator_version = 2",
        raw.uuid(story_id),
    )
    raw.run(f"INSERT INTO {raw.table} (originator_id, originator_version, topic, state) VALUES (?, 4, ?, ?)",
            raw.uuid(story_id), topic, bytes(state))  # fmt: skip

    result = audit(store_url)

    assert result.exit_code == 1
    assert f"{SLUG}  v4  " in result.stdout


def test_a_rewritten_and_re_hashed_chain_is_caught_by_its_signatures(
    signed: Newsroom, store_url: str, newsroom: Services
) -> None:
    events = signed.get_events(SLUG)
    object.__setattr__(events[0], "headline", "A different inquiry")
    previous = events[0].previous_hash
    raw = RawEvents(store_url)
    for event in events:
        object.__setattr__(event, "previous_hash", previous)
        object.__setattr__(event, "hash", hash_content(chained_content(event)))
        previous = event.hash
        raw.set_state(
            Story.id_for(SLUG), event.originator_version, signed.mapper.to_stored_event(event).state
        )

    assert verify_store(signed, SLUG).intact  # the chain alone is fooled
    assert problems(store_url) == [
        (SLUG, 1, "bad signature"),
        (SLUG, 2, "bad signature"),
        (SLUG, 3, "bad signature"),
    ]


def test_a_roster_event_added_without_an_admin_s_signature_is_caught(
    signed: Newsroom, store_url: str, ssh_keys: KeyShelf
) -> None:
    roster = signed._roster()
    assert roster is not None
    card = roster.add("mallory", ["admin"], None, editor="cat", role="admin", at=signed.clock())
    signed.save(roster, card)  # through the library, outside any command: unsigned
    roster = signed._roster()
    assert roster is not None
    card = roster.grant(
        "cat", "admin", signed._staff_card("cat"), editor="cat", role="admin", at=signed.clock()
    )
    sign_as(
        SigningAs(
            KeyFileSigner(str(ssh_keys("cat").private)),
            key(ssh_keys, "cat"),
            signed.get_signatures().namespace,
        )
    )  # type: ignore[union-attr]
    signed.save(roster, card)  # signed by cat herself, a contributor
    sign_as(None)

    assert problems(store_url) == [("staff roster", 8, "unsigned"), ("staff roster", 9, "not permitted")]


def test_a_revoked_key_used_after_its_revocation_is_caught(
    signed: Newsroom, store_url: str, ssh_keys: KeyShelf
) -> None:
    signed.add_staff_key("ed", key(ssh_keys, "ed-new"), editor="ann")
    signed.revoke_staff_key("ed", key(ssh_keys, "ed"), editor="ann")
    forging(signed, KeyFileSigner(str(ssh_keys("ed").private)), key(ssh_keys, "ed"))
    signed.post_update(SLUG, "Late", "Words.", editor="ed")

    assert problems(store_url) == [(SLUG, 4, "key revoked before this")]


def test_a_signature_copied_from_another_store_is_caught(
    signed: Newsroom, store_url: str, ssh_keys: KeyShelf
) -> None:
    forging(
        signed,
        KeyFileSigner(str(ssh_keys("ed").private)),
        key(ssh_keys, "ed"),
        namespace_for("another-store"),
    )
    signed.post_update(SLUG, "Replayed", "Words.", editor="ed")

    assert problems(store_url) == [(SLUG, 4, "bad signature")]


def test_events_from_before_signatures_are_counted_not_failed(
    app: Newsroom, store_url: str, ssh_keys: KeyShelf
) -> None:
    app.add_staff("ann", ["admin"], editor="ann")
    app.add_staff("ed", ["editor"], editor="ann")
    app.open_story(SLUG, "An inquiry", editor="ed")
    signing_with(app, ssh_keys)
    app.add_staff_key("ann", key(ssh_keys, "ann"), editor="ann")
    app.add_staff_key("ed", key(ssh_keys, "ed"), editor="ann")
    app.post_update(SLUG, "Opening", "Words.", editor="ed")

    result = audit(store_url)

    assert result.exit_code == 0, result.output
    assert "4 events before signatures (versions staff roster v1-v3; inquiry v1)" in result.stdout
    assert "authorship: 3 signed events, each proven" in result.stdout


def test_a_store_that_never_signed_is_audited_as_it_always_was(app: Newsroom, store_url: str) -> None:
    app.add_staff("ann", ["admin"], editor="ann")
    app.add_staff("ed", ["editor"], editor="ann")
    app.open_story(SLUG, "An inquiry", editor="ed")

    result = audit(store_url, "--format", "json")

    assert result.exit_code == 0, result.output
    assert "authorship" not in json.loads(result.stdout)
    assert (verify_authorship(app).signing, verify_authorship(app).proven) == (False, True)
