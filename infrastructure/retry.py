"""The retry policy of processes that share a store: random waits, so racing editors stop colliding."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from domain.application import CONFLICT_RETRIES


@dataclass(frozen=True)
class JitteredBackoff:
    """Before each retry, waits a random while that grows with the attempt (at most a quarter of
    a second), so editors racing for the same story stop colliding."""

    attempts: int = CONFLICT_RETRIES
    sleep: Callable[[float], None] = time.sleep
    uniform: Callable[[float, float], float] = random.uniform

    def wait(self, attempt: int) -> None:
        self.sleep(self.uniform(0, min(0.25, 0.002 * 2**attempt)))
