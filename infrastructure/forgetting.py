"""Forgetting, in a process that keeps running, what a takedown or an erasure made elsewhere
destroyed: the keys it kept, and (through whoever listens) the pages and answers it made.

The command that takes an update down or erases a person runs in a process of its own; every
other process (`serve`, `projections run --follow`) learns of it from the notification log,
which names each event's topic in clear. `Forgetting.look` reads the takedowns and erasures
recorded since it last looked (the query asks for those topics only), has each mapper forget the
keys they destroyed (`SealingMapper.read_back`, which opens nothing), and says how many this
process has seen: a cache compares that count with the one it last purged for.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.utils import get_topic

from domain.erasure import Erasures
from domain.meanings import TAKING_WORDS_DOWN
from infrastructure.projections.notification_log import select_notifications

FORGETTING_TOPICS = sorted({*(get_topic(cls) for cls in TAKING_WORDS_DOWN), get_topic(Erasures.PersonErased)})
"""The events whose reading back destroys keys a process may keep: takedowns and erasures."""
BATCH = 100


class Forgetting:
    """The takedowns and erasures a process has seen, each read back once by its mappers."""

    def __init__(self, recorder: ApplicationRecorder, mappers: Sequence[Any]) -> None:
        self.recorder = recorder
        self.mappers = [m for m in mappers if hasattr(m, "read_back")]
        self.seen = 0
        """How many takedowns and erasures this process has read back."""
        self._position: int | None = None
        self._lock = threading.Lock()

    def look(self, through: int | None = None) -> int:
        """Reads back what was recorded since the last look (up to the notification id `through`,
        by default the last); returns how many this process has seen so far. The first look
        starts from the store's end: nothing was kept before it."""
        with self._lock:
            if through is None:
                through = self.recorder.max_notification_id() or 0
            if self._position is None:
                self._position = through
            while self._position < through:
                found = select_notifications(
                    self.recorder, self._position, BATCH, stop=through, topics=FORGETTING_TOPICS
                )
                for notification in found:
                    for mapper in self.mappers:
                        mapper.read_back(notification)
                self.seen += len(found)
                self._position = found[-1].id if len(found) == BATCH else through
            return self.seen
