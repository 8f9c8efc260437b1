"""Unicode's bidirectional controls in rendered text. An override (U+202D, U+202E), embedding
(U+202A, U+202B, with U+202C to end it) or isolate (U+2066-U+2069) typed into a title reorders
what follows it, so "Minister resigns" can be made to show backwards or a name to read as
another. Every renderer for readers removes them, through its Jinja environment's `finalize`
(each `{{ }}` in every template); the stored words keep them, as the editor wrote them.

The marks (U+200E, U+200F, U+061C) stay: right-to-left text needs them, and they only settle
the direction of neutral characters such as spaces and punctuation, never reverse words."""

from __future__ import annotations

import re

from markupsafe import Markup

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    """`text` with every bidi embedding, override and isolate removed."""
    return BIDI_CONTROLS.sub("", text)


def shown_bidi_controls(text: str) -> str:
    """`text` with each bidi control written as a visible `<U+202E>`, for an editor's terminal."""
    return BIDI_CONTROLS.sub(lambda found: f"<U+{ord(found.group()):04X}>", text)


def rendered(value: object) -> object:
    """A template expression's value as it may be shown (Jinja's `finalize`): strings, escaped
    or already markup, without bidi controls; anything else unchanged."""
    if isinstance(value, Markup):
        return Markup(without_bidi_controls(str(value)))
    if isinstance(value, str):
        return without_bidi_controls(value)
    return value
