"""The readers' web's public address, from configuration: the one base for links that must be
absolute. The request's Host header is never used for it (anyone can send any Host)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_LENGTH = 2000
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`{}|^]")


class BadPublicUrl(ValueError):
    """A public URL that is not an http(s) address of a host (with at most a path)."""


def public_base(url: str) -> str:
    """`url` checked and ending in `/`, so a path can follow it: `https://news.example/live/`."""
    if len(url) > MAX_LENGTH or _UNSAFE.search(url):
        raise BadPublicUrl(f"the public URL must be a plain http(s) address; got {url[:80]!r}")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise BadPublicUrl(f"the public URL must start with http:// or https://; got {url[:80]!r}")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise BadPublicUrl(f"the public URL has a bad port; got {url[:80]!r}") from None
    if not parts.hostname or "@" in parts.netloc:
        raise BadPublicUrl(f"the public URL must name a host (and no user); got {url[:80]!r}")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise BadPublicUrl(f"the public URL may not have a query or a fragment; got {url[:80]!r}")
    return url if url.endswith("/") else f"{url}/"
