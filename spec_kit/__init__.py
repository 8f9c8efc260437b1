"""The spec kit: a story's or the roster's rules stated as given events, when a command, then the
events it records (or the error it raises, having recorded nothing).

    from spec_kit import EDITOR, T0, event, given
    from domain.story import Story

    given(event(Story.Opened), event(Story.UpdatePosted, title="Talks begin")).when(
        lambda story, updates: story.retract_update(1, reason="Legal", editor=EDITOR, at=T0)
    ).then(event(Story.UpdateRetracted, number=1, reason="Legal"))

`event` builds any event from its class (`spec_kit.events`), `given`/`when` and `Outcome` are the
story's (`spec_kit.story`), `given_staff` and `StaffOutcome` the roster's (`spec_kit.staff`).
"""

from spec_kit.events import EDITOR, SLUG, T0, EventSpec, MinuteClock, event
from spec_kit.staff import ADMIN_NAME, GivenStaff, StaffOutcome, given_staff
from spec_kit.story import Given, Outcome, given, when

__all__ = [
    "ADMIN_NAME",
    "EDITOR",
    "SLUG",
    "T0",
    "EventSpec",
    "Given",
    "GivenStaff",
    "MinuteClock",
    "Outcome",
    "StaffOutcome",
    "event",
    "given",
    "given_staff",
    "when",
]
