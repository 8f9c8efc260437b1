"""One story that records every kind of story event, with every kind of block and text that needs
escaping: the scenario the stored-event fixtures, the audit's record tests and the time-travel
tests share. A new event type adds its command here, once."""

from __future__ import annotations

from datetime import timedelta

from domain.application import Newsroom

BODY = """\
Leaders *meet* in Sochi.

With [a link](https://example.org), "quotes" and a \\ backslash.

> We need to increase the pressure.
>
> \u2013 The spokesman

> Words nobody said.

- Lift the embargo
- Keep it

1. First
2. Second

![Cameron and Putin](https://example.org/sochi.jpg)
Credit: Sang Tan/PA Wire"""


def record_every_event(app: Newsroom, slug: str = "syria-talks") -> None:
    """Commands that between them record every story event type (and change every part of an
    update: title, body, quote words and attribution, pin, key event) on the story `slug`."""
    a, b = "ann", "bob"
    app.open_story(slug, "Syria talks", "Leaders meet", editor=a, request_id=f"{slug}-open")
    app.change_standfirst(slug, "Leaders meet in Sochi", editor=a)
    app.change_time_zone(slug, "Europe/London", editor=a)
    app.post_update(slug, "Quotes", BODY, byline="Carl Dinnen", key_event=True, editor=a)
    app.post_update(slug, 'Pinned, "pinned": false', "- one\n- two\n\n1. first", pin=True, editor=b)
    app.post_update(slug, "Photo", "![Leaders](https://example.org/a.jpg)\nCredit: Agency", editor=a)
    app.schedule_publication(slug, publish_at=app.clock() + timedelta(days=1), editor=a)
    app.unschedule_publication(slug, editor=a)
    app.publish_story(slug, editor=a)
    app.change_headline(slug, "Syria talks in doubt", reason="News moved on", editor=a)
    app.revise_update(slug, 1, title="Quotes, revised", reason="Clearer", editor=a)
    app.revise_update(slug, 3, body="A *new* body.", reason="Clearer", editor=a)
    app.correct_quote(slug, 1, 1, text="We are very hopeful.", note="Misquote", editor=a)
    app.correct_quote(slug, 1, 2, attribution="A spokesman", note="Attribution", editor=a)
    app.correct_quote(slug, 1, 1, attribution="", note="Unattributed", editor=a)
    app.mark_key_event(slug, 3, editor=a)
    app.mark_key_event(slug, 1, key_event=False, editor=a)
    app.pin_update(slug, 3, editor=a)
    app.unpin_update(slug, 3, editor=a)
    app.pin_update(slug, 2, editor=a)
    app.retract_update(slug, 2, reason="Legal advice", editor=a)
    app.submit_update(slug, "Offered", "From the *field*.", byline="Bob Stringer", editor=b)
    app.revise_submission(slug, 1, title='Offered, "revised"', editor=b)
    app.submit_update(slug, "Unsourced", "Rumours.", editor=b)
    app.reject_submission(slug, 2, reason="Unsourced", editor=a)
    app.submit_update(slug, "Second thoughts", "Never mind.", editor=b)
    app.withdraw_submission(slug, 3, editor=b)
    app.approve_submission(slug, 1, key_event=True, pin=True, editor=a)
    app.close_story(slug, editor=a)
    app.revise_update(slug, 1, title="After closing", reason="Typo", editor=a)
    app.reopen_story(slug, editor=a)
    publish_at = app.clock() + timedelta(minutes=5)
    app.schedule_update(slug, "Scheduled", "At *ten*.", publish_at=publish_at, key_event=True, editor=a)
    app.schedule_update(slug, "Cancelled", "Never.", publish_at=publish_at, editor=a)
    app.unschedule_update(slug, 2, editor=a)
    app.reschedule_update(slug, 1, publish_at=publish_at + timedelta(seconds=1), editor=a)
    # The publisher's round, by the app's clock (a real one in some tests: never before the time).
    app.publish_due(slug, now=max(app.clock(), publish_at + timedelta(seconds=1)))


def post_one_to_take_down(app: Newsroom, slug: str = "syria-talks") -> int:
    """Posts, corrects and revises one more update, as a court order might then find it; returns
    its number. Only an update stored sealed (a store with keys) can be taken down."""
    number = app.post_update(slug, "To be taken down", BODY, byline="Dan", key_event=True, editor="ann")
    app.correct_quote(slug, number, 1, text="Defamatory.", note="Misquote", editor="ann")
    app.revise_update(slug, number, title="Still to go", reason="Clearer", editor="ann")
    return number


def take_down_earlier_words(app: Newsroom, slug: str = "syria-talks") -> None:
    """Takes down the words of the scenario's withdrawn submission (3) and unscheduled post (2),
    as a court order might; only words stored sealed (a store with keys) can be. (The keys are
    the caller's to destroy: `infrastructure.takedown`.)"""
    app.take_down_submission(slug, 3, order=ORDER, note=NOTE, editor="ann")
    app.take_down_scheduled_post(slug, 2, order=ORDER, note=NOTE, editor="ann")


ORDER, NOTE = "HC-2013-1", "Removed by court order."
"""The court order and the public note of the scenario's takedown."""
