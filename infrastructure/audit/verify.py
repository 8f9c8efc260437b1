"""Chain verification: a pure check of story events, from the store or from an export file.

Each event's hash is recomputed from its stored content (domain.chain) and compared with the hash it
carries; each story's versions must run 1..n with each `previous_hash` naming the hash before it;
an optional seal must still be a prefix of every story it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

from domain.chain import GENESIS_HASH, HASH_FIELD, event_content, hash_content
from domain.errors import StoryNotFound
from domain.story import STORY_TOPICS, Story
from infrastructure.audit.key_accounts import KeyFinding, KeyLedger
from infrastructure.audit.records import OPENED_TOPIC, ChainRecord, read_store_records

if TYPE_CHECKING:
    from domain.application import Newsroom
    from infrastructure.audit.seal import Seal, SealedStory
    from infrastructure.keys import KeyStore

SHORT_HASH = 12
"""Hex digits of a hash shown in a message: plenty to tell two hashes apart."""


class BreakKind(StrEnum):
    """What is wrong at a place in a story's record."""

    CONTENT_ALTERED = "content altered"
    EVENT_MISSING = "event missing"
    SEQUENCE_BROKEN = "sequence broken"
    TRUNCATED = "truncated"
    FORKED = "forked"


@dataclass(frozen=True)
class Break:
    """One place where a story's record differs from what its chain, or its seal, vouches for."""

    slug: str
    story_id: UUID
    version: int
    kind: BreakKind
    detail: str


@dataclass(frozen=True)
class StoryHead:
    """The end of a story's chain as found: its last version and that event's hash."""

    slug: str
    story_id: UUID
    version: int
    head_hash: str | None
    events: int


@dataclass(frozen=True)
class Verification:
    """The outcome of checking every chain: the stories' heads and every break found."""

    stories: tuple[StoryHead, ...]
    events: int
    breaks: tuple[Break, ...]
    seal: Seal | None = None
    findings: tuple[KeyFinding, ...] = ()
    """Sealed words whose key is gone with no takedown or erasure to say why (the chains can be
    intact all the same); only when the store's key store was held to the record."""

    @property
    def intact(self) -> bool:
        return not self.breaks


class _Link(NamedTuple):
    """What pass one keeps of an event: enough to check its place in the chain."""

    version: int
    hash: str | None
    previous_hash: str | None
    problem: str


def verify_store(
    app: Newsroom, slug: str | None = None, *, seal: Seal | None = None, keys: KeyStore | None = None
) -> Verification:
    """Re-reads every story event (or those of `slug`) from the store and checks every chain;
    with `keys`, also that every key the sealed events name is there or was destroyed under an
    order or request that the record holds (`key_accounts`)."""
    if keys is None:
        return verify_chains(read_store_records(app, slug), slug=slug, seal=seal)
    ledger = KeyLedger(keys.live_ids())
    result = verify_chains(ledger.noting(read_store_records(app, slug)), slug=slug, seal=seal)
    return replace(result, findings=tuple(ledger.findings(keys, app.get_erasure_requests())))


def verify_chains(
    records: Iterable[ChainRecord], *, slug: str | None = None, seal: Seal | None = None
) -> Verification:
    """Checks the chain of every story in `records` (any order), or only that of `slug`.

    Records of other aggregates are ignored: only story events are chained.
    """
    only = Story.id_for(slug) if slug is not None else None
    chains, opened_slugs = _gathered(records, only)
    sealed = _sealed_stories(seal, only)
    if only is not None and not chains and only not in sealed:
        raise StoryNotFound(slug or str(only))

    def name_of(story_id: UUID) -> str:
        if story_id in opened_slugs:
            return opened_slugs[story_id]
        if story_id in sealed:
            return sealed[story_id].slug
        return slug if story_id == only and slug is not None else str(story_id)

    heads: list[StoryHead] = []
    breaks: list[Break] = []
    for story_id, chain in chains.items():
        name = name_of(story_id)
        breaks += _check_chain(name, story_id, chain)
        if seal is not None and story_id in sealed:
            breaks += _check_seal(name, story_id, chain, sealed[story_id], seal)
        last = chain[-1]
        heads.append(StoryHead(name, story_id, last.version, last.hash, len(chain)))
    for story_id, sealed_story in sealed.items():
        if seal is not None and story_id not in chains:
            breaks += _check_seal(sealed_story.slug, story_id, [], sealed_story, seal)
    events = sum(len(chain) for chain in chains.values())
    return Verification(tuple(heads), events, tuple(breaks), seal)


def _gathered(
    records: Iterable[ChainRecord], only: UUID | None
) -> tuple[dict[UUID, list[_Link]], dict[UUID, str]]:
    """Pass one: each story's links sorted by version, and the slugs its Opened event vouches for."""
    chains: dict[UUID, list[_Link]] = {}
    opened_slugs: dict[UUID, str] = {}
    for record in records:
        if record.topic not in STORY_TOPICS or (only is not None and record.story_id != only):
            continue
        chain = chains.get(record.story_id)
        if chain is None:
            chain = chains[record.story_id] = []
        chain.append(_link(record))
        if record.topic == OPENED_TOPIC:
            found = _verified_slug(record)
            if found is not None:
                opened_slugs[record.story_id] = found
    for chain in chains.values():
        chain.sort(key=lambda link: link.version)
    return chains, opened_slugs


def _link(record: ChainRecord) -> _Link:
    state = record.state
    if state is None:
        return _Link(record.version, None, None, f"the stored bytes cannot be decoded ({record.problem})")
    stored_hash = state.get(HASH_FIELD)
    previous_hash = state.get("previous_hash")
    if not isinstance(stored_hash, str) or not isinstance(previous_hash, str):
        return _Link(
            record.version,
            stored_hash if isinstance(stored_hash, str) else None,
            previous_hash if isinstance(previous_hash, str) else None,
            "it has lost its hash or previous_hash",
        )
    if record.hash_checked:
        return _Link(record.version, stored_hash, previous_hash, "")
    try:
        recomputed = hash_content(event_content(record.topic, record.story_id, record.version, state))
    except (TypeError, ValueError, RecursionError) as error:
        return _Link(record.version, stored_hash, previous_hash, f"its content cannot be hashed ({error})")
    if recomputed != stored_hash:
        problem = (
            f"its content no longer matches its hash (stored {stored_hash[:SHORT_HASH]}, "
            f"recomputed {recomputed[:SHORT_HASH]})"
        )
        return _Link(record.version, stored_hash, previous_hash, problem)
    return _Link(record.version, stored_hash, previous_hash, "")


def _verified_slug(record: ChainRecord) -> str | None:
    """The slug an Opened event names, if it is the slug the story's id was derived from."""
    value = record.state.get("slug") if record.state is not None else None
    if isinstance(value, str) and Story.id_for(value) == record.story_id:
        return value
    return None


def _check_chain(name: str, story_id: UUID, chain: list[_Link]) -> list[Break]:
    """The breaks in one story's chain, its events sorted by version."""
    breaks: list[Break] = []

    def found(version: int, kind: BreakKind, detail: str) -> None:
        breaks.append(Break(name, story_id, version, kind, detail))

    expected = 1
    # The hash the next event must name as its predecessor; None when that cannot be known.
    predecessor: str | None = GENESIS_HASH
    for link in chain:
        if link.version < expected:
            found(link.version, BreakKind.SEQUENCE_BROKEN, _out_of_sequence(link.version, expected))
            continue
        if link.version > expected:
            found(expected, BreakKind.EVENT_MISSING, _missing(expected, link.version))
            predecessor = None
        if link.problem:
            found(link.version, BreakKind.CONTENT_ALTERED, link.problem)
        # An event that cannot be read (previous_hash None) has already been reported as altered.
        if predecessor is not None and link.previous_hash is not None and link.previous_hash != predecessor:
            found(link.version, BreakKind.SEQUENCE_BROKEN, _unlinked(link))
        predecessor = link.hash
        expected = link.version + 1
    return breaks


def _out_of_sequence(version: int, expected: int) -> str:
    if version < 1:
        return f"version {version} is not a story version (they start at 1)"
    return f"version {version} appears more than once"


def _missing(expected: int, found: int) -> str:
    if expected == 1:
        what = "version 1 (the Opened event) is" if found == 2 else f"versions 1 to {found - 1} are"
        return f"{what} missing: the story starts at version {found}"
    what = f"version {expected} is" if found == expected + 1 else f"versions {expected} to {found - 1} are"
    return f"{what} missing: the story goes from version {expected - 1} to {found}"


def _unlinked(link: _Link) -> str:
    named = (link.previous_hash or "")[:SHORT_HASH]
    if link.version == 1:
        return f"the first event does not start the chain: its previous_hash is {named}, not zeros"
    return (
        f"its previous_hash ({named}) is not the hash of version {link.version - 1}: "
        "an event was replaced, reordered or inserted"
    )


def _sealed_stories(seal: Seal | None, only: UUID | None) -> dict[UUID, SealedStory]:
    if seal is None:
        return {}
    return {s.story_id: s for s in seal.stories if only is None or s.story_id == only}


def _check_seal(
    name: str, story_id: UUID, chain: list[_Link], sealed: SealedStory, seal: Seal
) -> list[Break]:
    """A story must still hold the sealed head: not end before it (truncated), nor differ there (forked)."""
    when = seal.sealed_at.isoformat().replace("+00:00", "Z")
    sealed_head = f"version {sealed.version} (hash {sealed.head_hash[:SHORT_HASH]})"
    at_sealed = [link for link in chain if link.version == sealed.version]
    if not chain:
        detail = f"the seal of {when} records {sealed_head}; the story is gone from the record"
        return [Break(name, story_id, 1, BreakKind.TRUNCATED, detail)]
    if chain[-1].version < sealed.version:
        detail = f"the seal of {when} records {sealed_head}; the record ends at version {chain[-1].version}"
        return [Break(name, story_id, chain[-1].version + 1, BreakKind.TRUNCATED, detail)]
    if at_sealed and at_sealed[0].hash != sealed.head_hash:
        detail = (
            f"the seal of {when} records {sealed_head}, the record has hash "
            f"{(at_sealed[0].hash or 'none')[:SHORT_HASH]} there: the story was rewritten or rolled back "
            f"at or before version {sealed.version}"
        )
        return [Break(name, story_id, sealed.version, BreakKind.FORKED, detail)]
    # A version missing at the sealed head is already reported as a missing event.
    return []
