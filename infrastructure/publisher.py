"""The publisher: publishes what is due on the schedule, under the system identity.

A separate small component, called once a round by whatever follows the store (`projections run
--follow`, the readers' web's broadcaster): it asks the read side which stories ever had
something scheduled, reads each from the event store (which says what still waits) and records
what is due (`Newsroom.publish_due`). Two publishers at once publish each item once: each
publication is recorded against the story's version as found, so the second is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from domain.application import Clock, Newsroom
from domain.errors import KeyNotTheirs, NewsroomError, NoSigningKey
from domain.schedule import Due, Publication

ROUND = timedelta(seconds=1)
"""How often `tick` looks at the schedule, however often its caller calls it."""


class Publisher:
    """Publishes due items on every story; `clock` says when now is (tests inject theirs)."""

    def __init__(self, app: Newsroom, scheduling_stories: Callable[[], list[str]], clock: Clock) -> None:
        self.app = app
        self.scheduling_stories = scheduling_stories
        self.clock = clock
        self._last: datetime | None = None
        self.refused: NewsroomError | None = None
        """Why the last round published nothing on a store that signs (no system key, or not the
        one registered): the follower goes on following, and its caller may say so."""

    def schedule(self) -> list[Due]:
        """Everything waiting, on every story, in the order it falls due."""
        waiting = [due for slug in self.scheduling_stories() for due in self.app.get_schedule(slug)]
        return sorted(waiting, key=lambda d: (d.publish_at, d.slug))

    def publish_due(self, now: datetime | None = None) -> list[Publication]:
        """One round: publishes what is due now; returns what this publisher recorded."""
        now = self.clock() if now is None else now
        published: list[Publication] = []
        for slug in self.scheduling_stories():
            # One load of the story says whether anything is due (`Newsroom.publish_due`).
            published += self.app.publish_due(slug, now=now)
        return published

    def tick(self) -> list[Publication]:
        """A round from a follower's loop: `publish_due` at most once a `ROUND`."""
        now = self.clock()
        if self._last is not None and now - self._last < ROUND:
            return []
        self._last = now
        try:
            published = self.publish_due(now)
        except (NoSigningKey, KeyNotTheirs) as refusal:
            self.refused = refusal
            return []
        self.refused = None
        return published
