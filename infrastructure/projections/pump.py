"""Moving a subscription's notifications into batches: a thread pumps them into a queue, the
applying thread takes what is there, a batch at a time."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from queue import Empty, Full, Queue
from typing import Any

from eventsourcing.persistence import Notification, Subscription


def pump(
    subscription: Subscription[Any],
    queue: Queue[Notification],
    halt: threading.Event,
    errors: list[BaseException],
) -> None:
    """Moves notifications from the subscription to the queue until halted (a thread's target)."""
    try:
        for notification in subscription:
            while True:
                if halt.is_set():
                    return
                try:
                    queue.put(notification, timeout=0.1)
                    break
                except Full:
                    continue
    except BaseException as error:  # handed to the consuming thread, which raises it
        errors.append(error)


def take(queue: Queue[Notification], limit: int, timeout: float = 0.2) -> list[Notification]:
    """Up to `limit` notifications: waits for the first, then takes what is already there."""
    try:
        batch = [queue.get(timeout=timeout)]
    except Empty:
        return []
    while len(batch) < limit:
        try:
            batch.append(queue.get_nowait())
        except Empty:
            break
    return batch


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Applies a batch without the cycle collector running meanwhile.

    A batch makes tens of thousands of small objects that live until it ends (events, rows, JSON),
    and each collection would scan them again and again: a third of building the history rows.
    Nothing in a batch needs cycles collected; they are, as usual, once the batch is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
