"""`StoryEvent`: what every story event is, whichever family's module declares it.

Each event is declared once, with its meaning, in the module of its family (`story.py`,
`story_updates.py`, `story_submissions.py`, `story_schedule.py`, `story_takedowns.py`) and is
known everywhere as `Story.<Name>`. It is stored under that name too: the topic the library
writes (and the chain hashes) is `domain.story:Story.<Name>`, what it was when every event was
declared inside `Story`, so stored events load, and their hashes verify, wherever the class lives.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.chain import SALTS_FIELD, chained_content, hash_content, new_salts
from domain.meaning import Meaning

STORED_AS = "domain.story:Story"
"""Where every story event's stored topic says it is: `Story`, in `domain/story.py`."""


class StoryEvent(Aggregate.Event):
    """Every story event names its editor and is chained to the story's previous event.

    `role` is the role the editor made it under, once the store has an admin (`domain/roles.py`).
    With none it is not stored at all: an event made with no roster in force is stored, and
    hashed, exactly as before roles existed, and an event stored before then reads as None.
    """

    editor: str
    previous_hash: str
    hash: str = field(init=False)
    role: str | None = field(default=None, kw_only=True)
    protected: ClassVar[tuple[str, ...]] = ()
    """Fields whose values are sealed under their update's key when sealing is on
    (`domain.chain.sealing`): the hash covers their salted commitments."""
    unset_unstored: ClassVar[tuple[str, ...]] = ()
    """Keyword fields added later, stored only when set (not None or False), like `role`: an
    event without them is stored and hashed as before they existed, and reads the default."""
    personal: ClassVar[tuple[str, ...]] = ("editor",)
    """Fields holding a person's name, sealed under that person's key when sealing is on (the
    person is the unit of an erasure): the hash covers their salted commitments too."""
    meaning: ClassVar[Meaning]
    """What the event means (`domain/meaning.py`), declared beside it; `domain/meanings.py`
    refuses a story event without one."""

    TOPIC: ClassVar[str]
    """The library's pinned topic: what the event is stored, read back and hashed under."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Pins the name the event is stored and hashed under (the library's `TOPIC`) to the one
        # it is known by, `Story.<Name>`, rather than the module that happens to declare it.
        cls.__qualname__ = f"Story.{cls.__name__}"
        cls.TOPIC = f"{STORED_AS}.{cls.__name__}"
        super().__init_subclass__(**kwargs)

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("role", *self.unset_unstored):
            if getattr(self, name) in (None, False):
                object.__delattr__(self, name)  # the class's default answers for it
        # Runs when the event is created, not when it is read back from the store.
        salts = new_salts(self.protected + self.personal)
        if salts is not None:
            object.__setattr__(self, SALTS_FIELD, salts)
        object.__setattr__(self, "hash", hash_content(self.chained_content()))

    def chained_content(self) -> dict[str, Any]:
        return chained_content(self)

    def mutate(self, aggregate: Any) -> Any:
        aggregate = super().mutate(aggregate)
        aggregate.head_hash = self.hash
        return aggregate
