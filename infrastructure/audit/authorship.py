"""Who made each change, proven: every story and roster event of a store that signs is read in the
store's order and held to the roster as it stood then (`domain.authorship`), its signature checked
with `infrastructure.sshsig`.

Signatures begin with the roster change that registered the store's first key (`Signatures`):
events before it are counted, not failed. The root of trust is the key that signed that change
(the first admin's); `--trust` holds it to keys kept outside the database (an OpenSSH
`allowed_signers` file, or a public key), else the store's own is trusted and the result says so.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.application import COMMANDS, Newsroom
from domain.authorship import ROSTER, ROSTER_ROLES, Problem, RosterAsOf, Unproven, permitted_roles
from domain.chain import HASH_FIELD, SIGNATURE_FIELD, event_content, hash_content, read_for_rules
from domain.errors import InvalidInput
from domain.roles import ADMIN
from domain.signing import ED25519, PUBLIC_KEY_MAX, PublicKey, Signatures, signed_message
from domain.staff import Roster
from domain.story import STORY_TOPICS, Story
from infrastructure.audit.records import RecordDecoder, notification_pages
from infrastructure.bounded_read import read_file_at_most
from infrastructure.sshsig import BadSignature, Signature

ROSTER_TOPICS = frozenset(
    get_topic(cls) for cls in vars(Roster).values() if isinstance(cls, type) and issubclass(cls, Roster.Event)
)
SIGNATURES_TOPIC = get_topic(Signatures.Began)
TRUST_MAX = 1024 * 1024
"""An allowed_signers file larger than this is no list of a newsroom's staff."""


@dataclass(frozen=True)
class Trust:
    """Keys kept outside the database: fingerprint -> the principals an allowed_signers file names."""

    keys: dict[str, tuple[str, ...]]
    source: str


@dataclass
class Authorship:
    """What `audit verify` found of who made each change."""

    signing: bool = False
    """Whether the store signs at all."""
    namespace: str | None = None
    root: str | None = None
    """The fingerprint of the key that signed the roster's first signed change: the root of trust."""
    trust: Trust | None = None
    signed: int = 0
    before: dict[str, list[int]] = field(default_factory=dict)
    """Events from before signatures began, by story (or `ROSTER`): their versions."""
    problems: list[Problem] = field(default_factory=list)
    signers: dict[str, set[str]] = field(default_factory=dict)
    """Each editor and the fingerprints of the keys their proven events were signed with."""

    @property
    def proven(self) -> bool:
        return not self.problems

    @property
    def before_count(self) -> int:
        return sum(len(v) for v in self.before.values())


def read_trust(path: Path) -> Trust:
    """The keys in an OpenSSH `allowed_signers` file (`principals [options] ssh-ed25519 KEY`), or
    in a public key file (`ssh-ed25519 KEY comment`)."""
    try:
        text = read_file_at_most(path, TRUST_MAX, f"the trust file {path}").decode("utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot read the trust file {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not an allowed_signers file or a public key") from None
    keys: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#") or ED25519 not in words:
            continue
        at = words.index(ED25519)
        if at + 1 >= len(words) or len(line) > PUBLIC_KEY_MAX * 4:
            continue
        key = PublicKey.parse(f"{ED25519} {words[at + 1]}")
        keys[key.fingerprint] = tuple(words[0].split(",")) if at > 0 else ()
    if not keys:
        raise InvalidInput(f"{path} holds no Ed25519 key (an allowed_signers file, or a .pub file)")
    return Trust(keys, str(path))


def verify_authorship(app: Newsroom, trust: Trust | None = None) -> Authorship:
    """Reads every story and roster event in the store's order and proves who made each."""
    found = Authorship(trust=trust)
    signatures = app.get_signatures()
    if signatures is None:
        return found  # a store that never signed is audited as it always was
    found.signing, found.namespace = True, signatures.namespace
    judge = _Judge(found, signatures.namespace, permitted_roles(COMMANDS))
    decoder = RecordDecoder(app.mapper)
    first, last = signatures.roster_version, signatures.roster_last
    slugs: dict[UUID, str] = {}
    beginning: list[Any] = []
    for notification, event in _events(app):
        version = event.originator_version
        if isinstance(event, Roster.Event):
            if version < first:
                found.before.setdefault(ROSTER, []).append(version)
            elif not judge.linked(event, decoder.record(notification)):
                pass
            elif version <= last:
                beginning.append(event)  # judged once the whole change is folded
            else:
                judge.event(ROSTER, event, ROSTER_ROLES)
            judge.roster.apply(type(event).__name__, vars(event), version)
            if version == last:
                starts = first == 1  # the roster's own start: its first admin, under no role yet
                for begun in beginning:
                    judge.event(ROSTER, begun, ROSTER_ROLES, role=ADMIN if starts else None, root=True)
            continue
        if isinstance(event, Story.Opened):
            slugs[event.originator_id] = event.slug
        where = slugs.get(event.originator_id, str(event.originator_id))
        if judge.roster.version < last:
            found.before.setdefault(where, []).append(version)
        else:
            judge.event(where, event, judge.allowed[type(event).__name__])
    _hold_to_trust(found)
    return found


def authored_events(app: Newsroom) -> Iterator[Any]:
    """Every story and roster event in the store's order, names opened (or erased)."""
    for _notification, event in _events(app):
        yield event


def _events(app: Newsroom) -> Iterator[tuple[Any, Any]]:
    topics = sorted(STORY_TOPICS | ROSTER_TOPICS)
    with read_for_rules():  # names are opened, an update's words are not needed
        for page in notification_pages(app, topics):
            for notification in page:
                yield notification, app.mapper.to_domain_event(notification)


@dataclass
class _Judge:
    found: Authorship
    namespace: str
    allowed: dict[str, frozenset[str]]
    roster: RosterAsOf = field(default_factory=RosterAsOf)

    def linked(self, event: Any, record: Any) -> bool:
        """Whether a roster event's stored hash is that of its content (stories': `verify`)."""
        problem = _roster_link(record)
        if problem:
            self._problem(ROSTER, event, Unproven.BAD_SIGNATURE, problem)
        return not problem

    def event(
        self, where: str, event: Any, roles: Iterable[str], *, role: str | None = None, root: bool = False
    ) -> None:
        """Checks one event that must be signed; `role`: the role to hold it to in place of the
        one it records; `root`: of the change that began signing (the root of trust)."""
        state = vars(event)
        encoded = state.get(SIGNATURE_FIELD)
        if not encoded:
            self._problem(where, event, Unproven.UNSIGNED, f"{type(event).__name__} by {event.editor}")
            return
        try:
            signature = Signature.parse(base64.b64decode(encoded, validate=True))
        except (BadSignature, binascii.Error, ValueError) as error:
            self._problem(where, event, Unproven.BAD_SIGNATURE, str(error))
            return
        fingerprint = signature.key.fingerprint
        if not signature.verifies(signed_message(str(state.get(HASH_FIELD))), self.namespace):
            detail = f"key {fingerprint}'s signature is not of this event's hash in this store"
            self._problem(where, event, Unproven.BAD_SIGNATURE, detail)
            return
        judged = self.roster.judged(fingerprint, event.editor, role or state.get("role"), roles)
        if judged is not None:
            self._problem(where, event, *judged)
            return
        if root and self.found.root is None:
            self.found.root = fingerprint
        self.found.signed += 1
        self.found.signers.setdefault(event.editor, set()).add(fingerprint)

    def _problem(self, where: str, event: Any, kind: Unproven, detail: str) -> None:
        self.found.problems.append(Problem(where, event.originator_version, kind, detail))


def _roster_link(record: Any) -> str:
    """Why a roster event's stored hash is not that of its content ("" if it is)."""
    if record.state is None:
        return record.problem or "its stored content cannot be read"
    if record.hash_checked:
        return ""
    state = dict(record.state)
    stored = state.get(HASH_FIELD)
    if stored is None:
        return "it carries no hash"
    content = event_content(record.topic, record.story_id, record.version, state)
    return "" if hash_content(content) == stored else "its content is not what its hash covers"


def _hold_to_trust(found: Authorship) -> None:
    if found.trust is None or found.root is None:
        return
    if found.root not in found.trust.keys:
        detail = (
            f"the roster's first signature is by key {found.root}, which {found.trust.source} does not hold"
        )
        found.problems.insert(0, Problem(ROSTER, 1, Unproven.KEY_NOT_ON_ROSTER, detail))
