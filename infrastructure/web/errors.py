"""What the readers' web says when it cannot answer: a 400 for a query parameter readers cannot
have meant, 404, 405, 503 when every stream is taken, 500; as an HTML page, or one line of JSON
for the API; never a traceback."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from infrastructure.web.answers import HTML, JSON
from infrastructure.web.html import render_error
from infrastructure.web.limits import RETRY_AFTER_SECONDS


class BadRequest(ValueError):
    """A query parameter readers cannot have meant; answered 400 with one line."""


# Query parameters.


def query(request: Request, *allowed: str) -> dict[str, str]:
    """The request's query parameters: each one this address reads, each at most once (a second
    value would be silently dropped, an unknown name silently ignored); else a 400 naming it."""
    found: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in allowed:
            takes = ", ".join(allowed) if allowed else "no parameters"
            raise BadRequest(f"unknown parameter {name[:40]!r}: this address takes {takes}")
        if name in found:
            raise BadRequest(f"parameter {name!r} is given more than once: give it once")
        found[name] = value
    return found


def int_param(value: str | None, name: str, *, default: int | None, minimum: int = 0) -> int | None:
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 12 or int(value) < minimum:
        raise BadRequest(f"{name} must be a whole number from {minimum}; got {value[:40]!r}")
    return int(value)


def version_param(value: str | None) -> int | None:
    return int_param(value, "version", default=None, minimum=1)


def before_param(value: str | None) -> int | None:
    """`?before=N`, a page's cursor, as a number (checked against the story by `paging`)."""
    return int_param(value, "before", default=None, minimum=1)


def filter_param(value: str | None) -> bool:
    """Whether `?filter=key-events` asks for the key events only (nothing else is a filter)."""
    if value is None or value == "":
        return False
    if value != "key-events":
        raise BadRequest(f"filter must be key-events; got {value[:40]!r}")
    return True


def moment_param(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise BadRequest(
            f"at must be an ISO 8601 time such as 2013-05-10T14:32:00Z; got {value[:40]!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Answers.


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(
    request: Request, status: int, title: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    if _wants_json(request):
        body = json.dumps({"error": message}) + "\n"
        return Response(body, status_code=status, media_type=JSON, headers=headers)
    page = render_error(status, title, message)
    return Response(page, status_code=status, media_type=HTML, headers=headers)


def busy(request: Request) -> Response:
    """Every stream is taken: the page's client polls the changes feed until `Retry-After`."""
    return _error(
        request,
        503,
        "Too many readers",
        "Too many live readers right now; the page follows the story by polling instead.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


async def missing(request: Request, _error_: Exception) -> Response:
    return _error(request, 404, "Not found", "There is no such story or page here.")


async def bad_request(request: Request, error: Exception) -> Response:
    return _error(request, 400, "Bad request", str(error))


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        return await missing(request, error)
    if error.status_code == 405:
        # RFC 9110: a 405 names the methods the address takes.
        allowed = (error.headers or {}).get("Allow") or "GET, HEAD"
        return _error(request, 405, "Method not allowed", "Readers can only GET here.", {"Allow": allowed})
    return _error(request, error.status_code, "Error", str(error.detail))


async def server_error(request: Request, _error_: Exception) -> Response:
    return _error(
        request, 500, "Something went wrong", "Something went wrong on our side; try again shortly."
    )
