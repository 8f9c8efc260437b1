"""The two stores the golden files are taken from, built through the real application with an exact
clock: the seed story, and a long random history from a fixed random seed.

Time moves only when a command is accepted (`CommandClock`), never when the clock is read, so the
stored times do not depend on how often, or whether, a command reads the clock before its rules
refuse it: only on which commands the domain accepts.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.application import Newsroom
from domain.errors import NewsroomError
from infrastructure.bootstrap import bootstrap
from infrastructure.seed_loader import DEFAULT_SEEDS, load_seed, seed_files

START = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)
SEED_SLUG = "disputes-over-syria-summit-plan"
RANDOM_SEED = 20130510
RANDOM_COMMANDS = 330
"""Accepted commands after the scripted opening: about 350 story events in all."""


def moment(n: int) -> datetime:
    """The time of the `n`th accepted command (0-based): 37 to 39 seconds apart, every other one
    with microseconds, so fractional seconds reach every output."""
    micro = (n * 123_457) % 1_000_000 if n % 2 else 0
    return START + timedelta(seconds=37 * n + n % 3, microseconds=micro)


class CommandClock:
    """Reads as the time of the next accepted command, however often it is read."""

    def __init__(self) -> None:
        self.accepted = 0

    def __call__(self) -> datetime:
        return moment(self.accepted)


COMMANDS = frozenset(
    {
        "open_story",
        "change_headline",
        "change_standfirst",
        "publish_story",
        "close_story",
        "reopen_story",
        "post_update",
        "revise_update",
        "correct_quote",
        "retract_update",
        "pin_update",
        "unpin_update",
        "mark_key_event",
    }
)


class Editors:
    """The application as the seed loader and the random history drive it: each accepted command
    moves the clock on to the next moment; queries and refused commands leave it where it is."""

    def __init__(self, app: Newsroom, clock: CommandClock) -> None:
        self._app, self._clock = app, clock

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._app, name)
        if name not in COMMANDS:
            return attribute

        def command(*args: Any, **kwargs: Any) -> Any:
            result = attribute(*args, **kwargs)
            self._clock.accepted += 1
            return result

        return command


def build(url: str, fill: Callable[[Editors], None]) -> int:
    """Fills the store at `url` through the application; returns how many commands it accepted."""
    clock = CommandClock()
    app = bootstrap(url, clock=clock).app
    try:
        fill(Editors(app, clock))
    finally:
        app.close()
    return clock.accepted


def seed_story(editors: Editors) -> None:
    """As `newsroom seed` loads seeds/*.toml, with the exact clock."""
    for file in seed_files(DEFAULT_SEEDS):
        load_seed(editors, file)  # type: ignore[arg-type]  # the application, clock-stepped


# The random history's material: text that needs escaping in JSON and HTML, unicode in every
# script the newsroom is likely to meet, and every kind of body block.

EDITORS = ("Ann Editor", "Bob O'Brien", "Zoë Ångström", "李编辑", 'Carl "CJ" Jones')
STORIES = (
    (
        "election-night-live",
        'Election night: "too close to call" & <counting> continues',
        "Results as they come in.",
    ),
    ("summit-talks-2013", "Sochi summit: Cameron & Putin — talks", None),
    ("city-marathon", "City marathon ½ way: naïve café runners ☕", "Live from the course\nsecond line"),
)
TITLES = (
    "Polls close",
    "Turnout <b>high</b> & rising",
    'The "exit poll" is in',
    "Results: 12½ % swing — historic?",
    "Émilie Müller speaks 🗳️",
    "مرحبا بالعالم",
    "Backslash \\ and ampersand &amp; literally",
    "Tab-free title with 'single' quotes",
)
BODIES = (
    "Plain paragraph with <script>alert('x')</script> & \"quotes\" and a backslash \\ here.",
    "Intro paragraph.\n\n> We are hopeful of a deal “before the summer”.\n>\n> – The spokesman\n\n"
    "More text after the quote.",
    "> A quote with no attribution at all.\n\n> Second quote, with *emphasis*.\n>\n> — Zoë Ångström, analyst",
    "- first item\n- second item with `code`\n- third & last\n\n1. one\n2. two\n3. three",
    "![Leaders meet in Sochi <at dusk>](https://example.org/sochi.jpg)\nCredit: Sang Tan/PA Wire\n\n"
    "After the *photo*, a [link](https://example.org/a?b=1&c=2).",
    "![An image with no source]()\nCredit: Agency & Co\n\nTab\there, emoji 🗳️, Arabic مرحبا, CJK 你好, "
    "combining e\u0301, non\u00a0breaking.",
    "Line one\nline two of the same paragraph.\n\n"
    "**Bold** and _italic_ and a [bad link](javascript:alert(1)).",
    '# A heading\n\nText under the heading.\n\n---\n\n```\ncode block <tag> & "quotes"\n```',
    '> Quote with a hyphen attribution\n>\n> - Someone "quoted"\n\n> Another one\n>\n> — The Kremlin',
    "Raw <div>html</div> shown as text, and entities &amp; &lt; &#x27;.",
    "1. ordered only\n2. second <i>item</i>\n\n> Closing words: “we will see”.\n>\n> – 首相",
)
QUOTE_TEXTS = ("We are “cautiously” optimistic.", "It is <not> over & never was.", 'He said: "no".')
ATTRIBUTIONS = ("A Downing Street source", "— Zoë Ångström", "", "The O'Brien family")
REASONS = ("Typo", "Legal advice: <redacted>", "Clarity & tone", "Fact check — wrong figure", "請更正")
STANDFIRSTS = ("Counting continues through the night.", "Updated <standfirst> & more", None, "")


def random_history(editors: Editors) -> None:
    """A scripted opening that reaches every kind of change at least once, then random commands
    (seeded) until RANDOM_COMMANDS more are accepted; refused ones are skipped."""
    _opening(editors)
    rng = random.Random(RANDOM_SEED)
    posted = {slug: 0 for slug, _, _ in STORIES}
    posted[STORIES[0][0]] = 3
    accepted = 0
    while accepted < RANDOM_COMMANDS:
        slug = rng.choice([s for s, _, _ in STORIES])
        editor = rng.choice(EDITORS)
        action = rng.choices(list(_ACTIONS), weights=[w for w, _ in _ACTIONS.values()])[0]
        number = rng.randint(1, max(posted[slug], 1))
        try:
            result = _ACTIONS[action][1](editors, rng, slug, number, editor)
        except NewsroomError:
            continue
        if action == "post":
            posted[slug] = result
        accepted += 1


def _opening(e: Editors) -> None:
    first, _, _ = STORIES[0]
    for slug, headline, standfirst in STORIES:
        e.open_story(slug, headline, standfirst, editor=EDITORS[0])
    e.publish_story(first, editor=EDITORS[1])
    e.post_update(first, TITLES[1], BODIES[1], byline="Zoë Ångström", key_event=True, editor=EDITORS[0])
    e.post_update(first, TITLES[2], BODIES[2], pin=True, editor=EDITORS[2])
    e.post_update(first, TITLES[0], BODIES[4], editor=EDITORS[3])
    e.correct_quote(first, 1, 1, text=QUOTE_TEXTS[0], note="Misquote fixed", editor=EDITORS[1])
    e.correct_quote(first, 2, 2, attribution="", note="Attribution removed", editor=EDITORS[4])
    e.correct_quote(
        first, 2, 1, text=QUOTE_TEXTS[1], attribution=ATTRIBUTIONS[0], note="Both", editor=EDITORS[0]
    )
    e.revise_update(first, 3, title="Polls closed", reason=REASONS[0], editor=EDITORS[2])
    e.revise_update(first, 3, body=BODIES[5], reason=REASONS[1], editor=EDITORS[2])
    e.revise_update(first, 1, title=TITLES[4], body=BODIES[3], reason=REASONS[2], editor=EDITORS[3])
    e.retract_update(first, 2, reason="Pinned, then retracted: " + REASONS[1], editor=EDITORS[1])
    e.mark_key_event(first, 3, editor=EDITORS[0])
    e.mark_key_event(first, 3, key_event=False, editor=EDITORS[0])
    e.change_headline(first, "Election night: a hung <parliament>?", reason=REASONS[3], editor=EDITORS[4])
    e.change_standfirst(first, None, editor=EDITORS[4])
    e.close_story(first, editor=EDITORS[1])
    e.reopen_story(first, editor=EDITORS[1])


def _post(e: Editors, rng: random.Random, slug: str, number: int, editor: str) -> int:
    byline = rng.choice((None, None, "Carl Dinnen", "Zoë Ångström", "<Staff> & agencies"))
    return e.post_update(  # type: ignore[no-any-return]
        slug,
        rng.choice(TITLES),
        rng.choice(BODIES),
        byline=byline,
        key_event=rng.random() < 0.2,
        pin=rng.random() < 0.1,
        editor=editor,
    )


def _revise(e: Editors, rng: random.Random, slug: str, number: int, editor: str) -> None:
    part = rng.choice(("title", "body", "both"))
    title = rng.choice(TITLES) if part != "body" else None
    body = rng.choice(BODIES) if part != "title" else None
    e.revise_update(slug, number, title=title, body=body, reason=rng.choice(REASONS), editor=editor)


def _correct(e: Editors, rng: random.Random, slug: str, number: int, editor: str) -> None:
    part = rng.choice(("text", "attribution", "both", "removal"))
    text = rng.choice(QUOTE_TEXTS) if part in ("text", "both") else None
    attribution = {
        "attribution": rng.choice(ATTRIBUTIONS),
        "both": rng.choice(ATTRIBUTIONS),
        "removal": "",
    }.get(part)
    note = rng.choice(REASONS)
    e.correct_quote(
        slug, number, rng.randint(1, 2), text=text, attribution=attribution, note=note, editor=editor
    )


_Action = Callable[[Editors, random.Random, str, int, str], Any]
_ACTIONS: dict[str, tuple[int, _Action]] = {
    "post": (30, _post),
    "revise": (15, _revise),
    "correct": (12, _correct),
    "retract": (5, lambda e, r, s, n, ed: e.retract_update(s, n, reason=r.choice(REASONS), editor=ed)),
    "pin": (6, lambda e, r, s, n, ed: e.pin_update(s, n, editor=ed)),
    "unpin": (3, lambda e, r, s, n, ed: e.unpin_update(s, n, editor=ed)),
    "key on": (5, lambda e, r, s, n, ed: e.mark_key_event(s, n, editor=ed)),
    "key off": (3, lambda e, r, s, n, ed: e.mark_key_event(s, n, key_event=False, editor=ed)),
    "headline": (
        4,
        lambda e, r, s, n, ed: e.change_headline(s, r.choice(TITLES), reason=r.choice(REASONS), editor=ed),
    ),
    "standfirst": (4, lambda e, r, s, n, ed: e.change_standfirst(s, r.choice(STANDFIRSTS), editor=ed)),
    "publish": (3, lambda e, r, s, n, ed: e.publish_story(s, editor=ed)),
    "close": (2, lambda e, r, s, n, ed: e.close_story(s, editor=ed)),
    "reopen": (3, lambda e, r, s, n, ed: e.reopen_story(s, editor=ed)),
}
