"""Validation of what editors type: slugs, names, headlines, titles, bodies and reasons."""

from __future__ import annotations

import re

from domain.errors import InvalidInput, NoEditorNamed

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 80
EDITOR_MAX = 64
HEADLINE_MAX = 200
STANDFIRST_MAX = 600
TITLE_MAX = 200
BYLINE_MAX = 100
REASON_MAX = 500
REQUEST_ID_MAX = 128
BODY_MAX = 50_000
"""Characters of Markdown in one update's body: about ten times a long live-blog entry."""


def valid_slug(slug: str) -> str:
    if not SLUG_PATTERN.fullmatch(slug) or len(slug) > SLUG_MAX:
        raise InvalidInput(
            f"invalid slug {slug!r}: use 1 to {SLUG_MAX} lowercase ASCII letters, digits "
            "and single hyphens, e.g. 'syria-summit'"
        )
    return slug


def valid_time_zone(zone: str) -> str:
    """A name in the IANA time zone database ("Europe/London", "UTC"), as `zoneinfo` knows it."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = zone.strip()
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            f"unknown time zone {zone!r}: give a name from the IANA database, e.g. 'Europe/London' or 'UTC'"
        ) from None
    return name


def valid_editor(editor: str) -> str:
    name = editor.strip()
    if not name:
        raise NoEditorNamed()
    if len(name) > EDITOR_MAX or not _printable_line(name):
        raise InvalidInput(
            f"invalid editor name {editor!r}: use up to {EDITOR_MAX} printable characters on one line"
        )
    return name


def valid_line(what: str, text: str, limit: int) -> str:
    """A required one-line text (headline, title): stripped, non-empty, printable."""
    value = text.strip()
    if not value:
        raise InvalidInput(f"the {what} is empty: give some text")
    if len(value) > limit:
        raise InvalidInput(f"the {what} is {len(value)} characters long; the limit is {limit}")
    if not _printable_line(value):
        raise InvalidInput(f"the {what} contains line breaks or control characters: remove them")
    return value


def optional_line(what: str, text: str | None, limit: int) -> str | None:
    if text is None or not text.strip():
        return None
    return valid_line(what, text, limit)


def valid_text(what: str, text: str, limit: int, *, required: bool = True) -> str:
    """Free text that may span lines (standfirst, body, reasons)."""
    value = text.strip()
    if required and not value:
        raise InvalidInput(f"the {what} is empty: give some text")
    if len(value) > limit:
        raise InvalidInput(f"the {what} is {len(value)} characters long; the limit is {limit}")
    if _CONTROL_IN_TEXT.search(value):
        raise InvalidInput(f"the {what} contains control characters: remove them")
    return value


def _printable_line(text: str) -> bool:
    return not _CONTROL.search(text)


# Control characters (Unicode category Cc), lone surrogates (Cs) and the line and paragraph
# separators; free text may keep newlines and tabs. One regex scan instead of a lookup a character.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
