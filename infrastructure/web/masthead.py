"""Who publishes the readers' web and where it lives, from configuration: the publisher's name,
address and logo (`NEWSROOM_PUBLISHER_NAME`, `_URL`, `_LOGO`) and the public base address. The
structured data and the link-preview tags of every page name them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin

from infrastructure.web.public_url import http_address

DEFAULT_NAME = "Newsroom"
"""The name the site goes by when none is configured: the one its pages' titles already use."""
LOGO_PATH = "static/favicon.svg"
"""The site's own mark, the default logo."""
NAME_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class BadPublisher(ValueError):
    """A publisher's name, address or logo that no page could honestly name."""


@dataclass(frozen=True)
class Publisher:
    """The organisation that publishes the stories: schema.org's `publisher`, and each story's
    author when none is named."""

    name: str
    url: str
    logo: str


@dataclass(frozen=True)
class Masthead:
    """The publisher and the base every address on a page starts with: the public URL (ending in
    `/`) when one is configured, else `/` and the addresses are relative."""

    publisher: Publisher
    base_url: str = "/"

    @property
    def absolute(self) -> bool:
        """Whether the addresses are absolute (a public URL is configured)."""
        return self.base_url != "/"

    def story_url(self, slug: str) -> str:
        return f"{self.base_url}stories/{quote(slug, safe='')}"

    def resolved(self, address: str) -> str:
        """`address` (absolute, or relative to the site) as the page should name it."""
        return urljoin(self.base_url, address) if self.absolute else address


def masthead(
    base_url: str | None = None,
    *,
    name: str | None = None,
    url: str | None = None,
    logo: str | None = None,
) -> Masthead:
    """The masthead over `base_url` (a checked public base, or None), the publisher's settings
    checked (raises `BadPublisher`). Defaults: the name "Newsroom", the site's own address and
    its mark as the logo."""
    base = base_url or "/"
    return Masthead(
        Publisher(
            name=_name(name) if name is not None else DEFAULT_NAME,
            url=_address("NEWSROOM_PUBLISHER_URL", url) if url is not None else base,
            logo=_address("NEWSROOM_PUBLISHER_LOGO", logo) if logo is not None else f"{base}{LOGO_PATH}",
        ),
        base,
    )


def _name(name: str) -> str:
    shown = name.strip()
    if not shown or len(shown) > NAME_MAX or _CONTROL.search(shown):
        raise BadPublisher(
            f"NEWSROOM_PUBLISHER_NAME must be 1 to {NAME_MAX} characters on one line; got {name[:80]!r}"
        )
    return shown


def _address(setting: str, address: str) -> str:
    """An absolute http(s) address of a host, with no user, as a page may link to it."""
    http_address(address, setting, BadPublisher)
    return address
