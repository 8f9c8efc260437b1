"""The key store: the keys that seal protected values, kept outside the event store.

Destroying a key erases everything it sealed, in the store and in every copy of it; a destroyed
key leaves a tombstone (when, and the reference it was destroyed under) and is never made again.
`KeyStore` is what the rest of the newsroom asks, so a real KMS can take the place of the stores
in `key_stores.py` (a SQLite file beside a SQLite store, a schema beside a PostgreSQL one). Losing
the key store erases every sealed value: back it up apart from the store, and keep its backups
briefly (a backup still holds the keys destroyed since it was taken).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

KEY_BYTES = 32  # AES-256


class KeyDestroyed(Exception):
    """A destroyed key was asked to seal something new."""


@dataclass(frozen=True)
class KeyCounts:
    """How many keys the store holds, and how many it destroyed."""

    live: int
    destroyed: int


class KeyStore(Protocol):
    """Keys by id: made on first sealing, destroyed on a takedown or an erasure."""

    def key(self, key_id: str) -> bytes | None:
        """The key, or None if it was never made or was destroyed."""
        ...

    def keys_of(self, key_ids: Sequence[str]) -> dict[str, bytes]:
        """The live keys among `key_ids`, in one read (those never made or destroyed left out)."""
        ...

    def key_for_sealing(self, key_id: str, ahead: Sequence[str] = ()) -> bytes:
        """The key, made if it does not exist yet, with the keys `ahead` (those the next sealings
        will ask for) in the same write, so that one durable write serves many; a destroyed key
        raises `KeyDestroyed`, and is never made again."""
        ...

    def destroy(self, key_id: str, *, reference: str, at: datetime) -> bool:
        """Destroys the key (leaving a tombstone); False if there was no key to destroy."""
        ...

    def is_destroyed(self, key_id: str) -> bool: ...

    def tombstones(self) -> dict[str, str]:
        """Every destroyed key's id and the reference (a takedown's order, an erasure's request)
        it was destroyed under."""
        ...

    def counts(self) -> KeyCounts: ...

    def live_ids(self) -> set[str]: ...

    def close(self) -> None: ...


PERSON_PREFIX = "person/"
PERSON_INDEX = "person-index"
"""The key that person key ids are derived with: never seals anything itself."""


def person_key_id(index: bytes, name: str) -> str:
    """The id of the key that seals `name` wherever it is recorded: an HMAC of the name under the
    key store's `PERSON_INDEX` key, so that the ids in the event store (in clear, in each sealed
    envelope) cannot be tested against a list of names by anyone without the key store."""
    return PERSON_PREFIX + hmac.new(index, name.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def is_person_key(key_id: str) -> bool:
    return key_id.startswith(PERSON_PREFIX)


UPDATE_PREFIX = "update/"


def update_key_id(story_id: UUID, number: int) -> str:
    """The id of the key that seals one update's words."""
    return f"{UPDATE_PREFIX}{story_id}/{number}"


def is_update_key(key_id: str) -> bool:
    return key_id.startswith(UPDATE_PREFIX)


DIGESTS_LABEL = b"newsroom/update-digests"


def digest_key(update_key: bytes) -> bytes:
    """The key an update's digests are made with (`domain.update`): derived from the key that
    seals its words, so the takedown that destroys one leaves the other unknowable too, and never
    the sealing key itself (a digest is not a place a sealing key should reach)."""
    return hmac.new(update_key, DIGESTS_LABEL, hashlib.sha256).digest()


SUBMISSION = "submission"
SCHEDULED = "scheduled"
"""The kinds of words sealed before they are an update's: a submission's, a scheduled post's."""


def words_key_id(story_id: UUID, kind: str, number: int) -> str:
    """The id of the key that seals a submission's (`submission/<story>/<S>`) or a scheduled
    post's (`scheduled/<story>/<S>`) words, every event holding them, until a takedown."""
    return f"{kind}/{story_id}/{number}"


def event_key_id(story_id: UUID, state: dict[str, Any]) -> str:
    """The key that seals a story event's protected fields: its update's when it names one
    (`number`: a post, a revision, an approval, the publisher's post), else its submission's or
    its scheduled post's."""
    if "number" in state:
        return update_key_id(story_id, state["number"])
    kind = SUBMISSION if "submission" in state else SCHEDULED
    return words_key_id(story_id, kind, state[kind])


class MemoryKeyStore:
    """Keys in memory: for tests and benchmarks on in-memory stores."""

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}
        self.destroyed: dict[str, tuple[datetime, str]] = {}

    def key(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)

    def keys_of(self, key_ids: Sequence[str]) -> dict[str, bytes]:
        return {i: self.keys[i] for i in key_ids if i in self.keys}

    def key_for_sealing(self, key_id: str, ahead: Sequence[str] = ()) -> bytes:
        if key_id in self.destroyed:
            raise KeyDestroyed(key_id)
        return self.keys.setdefault(key_id, secrets.token_bytes(KEY_BYTES))

    def destroy(self, key_id: str, *, reference: str, at: datetime) -> bool:
        self.destroyed.setdefault(key_id, (at, reference))
        return self.keys.pop(key_id, None) is not None

    def is_destroyed(self, key_id: str) -> bool:
        return key_id in self.destroyed

    def tombstones(self) -> dict[str, str]:
        return {key_id: reference for key_id, (_, reference) in self.destroyed.items()}

    def counts(self) -> KeyCounts:
        return KeyCounts(len(self.keys), len(self.destroyed))

    def live_ids(self) -> set[str]:
        return set(self.keys)

    def close(self) -> None:
        return None


KEYS_KEPT = 65_536
"""Keys a process keeps once read (~13 MB): past that the longest kept are dropped, and read
again if asked for, so a follower or `serve` on a store of millions of updates stays bounded."""


class CachedKeys:
    """A key store with the keys already read kept in memory (a rebuild reads each key once), up
    to `kept_at_most` of them; destroying through it, or `forget`, drops the kept copy and reads
    the key as gone from then on (never read again: a thread that had asked the store just before
    it was destroyed cannot put it back). Safe to share between threads (a follower decodes on
    its own): one call at a time reaches the store."""

    def __init__(self, store: KeyStore, *, kept_at_most: int = KEYS_KEPT) -> None:
        self.store = store
        self.kept_at_most = max(kept_at_most, KEYS_AHEAD)
        self._kept: dict[str, bytes | None] = {}
        self._gone: set[str] = set()
        """Keys destroyed, here or elsewhere (`forget`): a few, one per takedown or erasure."""
        self._lock = threading.Lock()

    def key(self, key_id: str) -> bytes | None:
        """The key; on a miss, the keys numbered after it (an update's, a submission's, a
        scheduled post's) are read with it, in one read: a rebuild reads a story's keys 64 at a time."""
        with self._lock:
            if key_id in self._kept:
                return self._kept[key_id]
            if key_id in self._gone:
                return None
            window = (key_id, *keys_after(key_id))
            wanted = [i for i in window if i not in self._kept and i not in self._gone]
            self._kept.update(self.store.keys_of(wanted))
            key = self._kept.setdefault(key_id, None)
            self._trim()
            return key

    def keys_of(self, key_ids: Sequence[str]) -> dict[str, bytes]:
        return {i: k for i in key_ids if (k := self.key(i)) is not None}

    def key_for_sealing(self, key_id: str, ahead: Sequence[str] = ()) -> bytes:
        """The key, made with `ahead` if need be; the keys ahead are kept too (read in one go), so
        the next sealings ask the store nothing."""
        with self._lock:
            key = self._kept.get(key_id)
            if key is None:
                key = self._kept[key_id] = self.store.key_for_sealing(key_id, ahead)
                self._kept.update(self.store.keys_of([i for i in ahead if self._kept.get(i) is None]))
                self._trim()
            return key

    def _trim(self) -> None:
        """Drops the keys kept longest beyond `kept_at_most` (called holding the lock)."""
        excess = len(self._kept) - self.kept_at_most
        if excess > 0:
            for key_id in list(itertools.islice(self._kept, excess)):
                del self._kept[key_id]

    def destroy(self, key_id: str, *, reference: str, at: datetime) -> bool:
        with self._lock:
            self._kept.pop(key_id, None)
            self._gone.add(key_id)
            return self.store.destroy(key_id, reference=reference, at=at)

    def forget(self, key_id: str) -> None:
        """Drops the kept copy of a key destroyed elsewhere, and reads it as gone from now on."""
        with self._lock:
            self._kept.pop(key_id, None)
            self._gone.add(key_id)

    def forget_prefix(self, prefix: str) -> None:
        """Drops every kept key whose id starts with `prefix`."""
        with self._lock:
            for key_id in [k for k in self._kept if k.startswith(prefix)]:
                del self._kept[key_id]

    def is_destroyed(self, key_id: str) -> bool:
        with self._lock:
            return self.store.is_destroyed(key_id)

    def tombstones(self) -> dict[str, str]:
        with self._lock:
            return self.store.tombstones()

    def counts(self) -> KeyCounts:
        with self._lock:
            return self.store.counts()

    def live_ids(self) -> set[str]:
        with self._lock:
            return self.store.live_ids()

    def close(self) -> None:
        with self._lock:
            self._kept.clear()
            self.store.close()


KEYS_AHEAD = 64
"""Keys made (and read) at once for a story's next updates, submissions or scheduled posts."""


def keys_after(key_id: str) -> list[str]:
    """The ids of the `KEYS_AHEAD - 1` keys numbered after `key_id` (none for a person's key):
    those made with it, and read with it."""
    prefix, _, number = key_id.rpartition("/")
    if is_person_key(key_id) or not number.isdigit():
        return []
    return [f"{prefix}/{n}" for n in range(int(number) + 1, int(number) + KEYS_AHEAD)]
