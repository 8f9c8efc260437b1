"""The readers' web answers GET and HEAD only, so it never reads a request body: a POST, PUT or
PATCH with an endless body is answered 405 without a byte of it read."""

from __future__ import annotations

import asyncio

import pytest
from starlette.types import Message

from infrastructure.web.app import create_app
from infrastructure.web.site import Site

PATHS = ["/", "/stories/syria", "/stories/syria/live", "/stories/syria/feed.atom", "/api/stories"]
PATHS += ["/api/stories/syria", "/api/stories/syria/changes", "/healthz", "/static/live.js"]
PATHS += ["/static/live_page.js"]


@pytest.fixture
def store_url(sqlite_url: str) -> str:
    """The routing is what is tested, not the store: SQLite is enough."""
    return sqlite_url


class EndlessBody:
    """An ASGI `receive` offering body chunks forever; counts the chunks taken."""

    def __init__(self) -> None:
        self.taken = 0

    async def __call__(self) -> Message:
        self.taken += 1
        return {"type": "http.request", "body": bytes(64 * 1024), "more_body": True}


def answer(site: Site, method: str, path: str, body: EndlessBody) -> list[Message]:
    app = create_app(site, follow=False)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, body, send))
    return sent


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", PATHS)
def test_a_request_with_a_body_is_refused_unread(site: Site, method: str, path: str) -> None:
    body = EndlessBody()

    sent = answer(site, method, path, body)

    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 405
    assert body.taken == 0
