"""Every story event's meaning, gathered from the events themselves: how it changes the page, its
label, its reason, and what it changed from and to.

Each event declares its `meaning` beside itself, in its family's module (`Meaning`, in
`domain/meaning.py`, says what one holds). The page fold (`domain/page_fold.py`), the live-page and
history read models, the log, `editors` and the audit's replay all ask `meaning_of(event)`; none
of them works it out again, so a label reads the same everywhere. A story event without a meaning
stops the import here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.meaning import BehindThePage, Meaning, PageState, Seen, Stale, Told, Values
from domain.story import Story

__all__ = [
    "MEANINGS",
    "MEANINGS_BY_NAME",
    "NAMES_ON_PAGE",
    "TAKING_WORDS_DOWN",
    "BehindThePage",
    "Meaning",
    "PageState",
    "Seen",
    "Stale",
    "Told",
    "Values",
    "gathered",
    "meaning_of",
]


def gathered(event_classes: Iterable[type]) -> dict[type, Meaning]:
    """Each event class's meaning, as it declares it; a TypeError names the classes without one."""
    classes = tuple(event_classes)
    missing = [cls.__name__ for cls in classes if not isinstance(vars(cls).get("meaning"), Meaning)]
    if missing:
        raise TypeError(f"say what these story events mean (a `meaning` beside each): {', '.join(missing)}")
    return {cls: vars(cls)["meaning"] for cls in classes}


MEANINGS: dict[type, Meaning] = gathered(Story.EVENT_CLASSES)
"""Each story event class's meaning (checked when this module is imported)."""


MEANINGS_BY_NAME: dict[str, Meaning] = {cls.__name__: meaning for cls, meaning in MEANINGS.items()}
"""The same, by event type name (as the history and the log name them)."""


NAMES_ON_PAGE: frozenset[type] = frozenset(cls for cls, meaning in MEANINGS.items() if meaning.names_on_page)
"""The story events whose meaning puts a person's name on the page."""


TAKING_WORDS_DOWN: frozenset[type] = frozenset(
    cls for cls, meaning in MEANINGS.items() if meaning.takes_words_down
)
"""The story events whose meaning destroys words' keys (the takedowns)."""


def meaning_of(event: Any) -> Meaning:
    """What `event`, a story event, means."""
    return MEANINGS[type(event)]
