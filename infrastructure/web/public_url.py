"""The readers' web's public address, from configuration: the one base for links that must be
absolute. The request's Host header is never used for it (anyone can send any Host)."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

MAX_LENGTH = 2000
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`{}|^]")


class BadPublicUrl(ValueError):
    """A public URL that is not an http(s) address of a host (with at most a path)."""


def http_address(url: str, named: str, error: type[ValueError]) -> SplitResult:
    """`url`'s parts, if it is a plain absolute http(s) address of a host with no user (at most
    `MAX_LENGTH` characters, nothing a page could not quote); else `error`, naming it `named`."""
    if len(url) > MAX_LENGTH or _UNSAFE.search(url):
        raise error(f"{named} must be a plain http(s) address; got {url[:80]!r}")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise error(f"{named} must start with http:// or https://; got {url[:80]!r}")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise error(f"{named} has a bad port; got {url[:80]!r}") from None
    if not parts.hostname or "@" in parts.netloc:
        raise error(f"{named} must name a host (and no user); got {url[:80]!r}")
    return parts


def public_base(url: str) -> str:
    """`url` checked and ending in `/`, so a path can follow it: `https://news.example/live/`."""
    parts = http_address(url, "the public URL", BadPublicUrl)
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise BadPublicUrl(f"the public URL may not have a query or a fragment; got {url[:80]!r}")
    return url if url.endswith("/") else f"{url}/"
