"""The readers' web under arbitrary paths, query values and headers (hypothesis, against the ASGI
app on the seeded store): never a 500, never a traceback in an answer or the log. A short run is
part of the suite; NEWSROOM_FUZZ_EXAMPLES=N runs a longer one (marked slow). The event stream is
left to the real-server tests: a stream answered 200 never ends by itself."""

from __future__ import annotations

import logging
import os
import re
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from domain.application import Newsroom
from tests.seed_content import SEED_SLUG

SHORT_RUN = 200
LONG_RUN = int(os.environ.get("NEWSROOM_FUZZ_EXAMPLES", "0") or 0)
TEMPLATES = [
    "/",
    "/stories/{}",
    "/stories/{}",
    "/stories/{}/feed.atom",
    "/stories/{}/live",
    "/api/stories",
    "/api/stories/{}",
    "/api/stories/{}/changes",
    "/api/stories/{}/changes",
    "/static/{}",
    "/healthz",
    "/{}",
    "/{}/{}",
]
QUERY_NAMES = ["version", "at", "filter", "after", "limit", "x"]
HEADER_NAMES = [
    "Host",
    "If-None-Match",
    "Accept-Encoding",
    "Accept",
    "Last-Event-ID",
    "Range",
    "If-Modified-Since",
    "Cookie",
    "Content-Length",
    "Transfer-Encoding",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "Origin",
]
TRICKY = ["", SEED_SLUG, "..", "%00", "%2F", "%2e%2e", "\u202e", "a" * 300, "-1", "0", "99999999999999", "*"]
NUMBERS = ["0", "1", "6", "7", "8", "007", "1e3", "٣", "2013-05-10T09:00:00Z", "2013-05-10T09:00:00+25:00"]

# The seed story's slug most of the time: the routes past the catalog are where the work is.
segment = st.one_of(st.just(SEED_SLUG), st.just(SEED_SLUG), st.sampled_from(TRICKY), st.text(max_size=40))
values = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(TRICKY), st.text(max_size=60))
header_value = st.one_of(
    st.sampled_from(["", "*", "gzip", 'W/"x"', "text/event-stream", "bytes=0-1", "0", "-1"]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60),
)


@st.composite
def requests(draw: Any) -> tuple[str, str, dict[str, str], dict[str, str]]:
    template = draw(st.sampled_from(TEMPLATES))
    parts = [quote(draw(segment), safe="") for _ in range(template.count("{}"))]
    path = template.format(*parts)
    method = draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "OPTIONS"]))
    query = draw(st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=4))
    headers = draw(st.dictionaries(st.sampled_from(HEADER_NAMES), header_value, max_size=4))
    return method, path, query, headers


def _streams(method: str, path: str, query: dict[str, str], headers: dict[str, str]) -> bool:
    """Whether the request may open an event stream (which the test client would read for ever)."""
    return method in {"GET", "HEAD"} and re.fullmatch(r"/stories/[^/]+/live/?", unquote(urlsplit(path).path))


def _check(client: TestClient, caplog: pytest.LogCaptureFixture, request: Any) -> None:
    method, path, query, headers = request
    assume(not _streams(method, path, query, headers))
    caplog.clear()

    answer = client.request(method, path, params=query, headers=headers)

    assert answer.status_code < 500, (request, answer.status_code, answer.text[:300])
    assert "Traceback" not in answer.text
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@settings(
    max_examples=SHORT_RUN,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests())
def test_no_request_gets_a_server_error(
    seeded: Newsroom, client: TestClient, caplog: pytest.LogCaptureFixture, request: Any
) -> None:
    _check(client, caplog, request)


@pytest.mark.slow
@pytest.mark.skipif(not LONG_RUN, reason="set NEWSROOM_FUZZ_EXAMPLES=N for a longer run")
@settings(
    max_examples=max(LONG_RUN, 1),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests())
def test_no_request_gets_a_server_error_in_a_long_run(
    seeded: Newsroom, client: TestClient, caplog: pytest.LogCaptureFixture, request: Any
) -> None:
    _check(client, caplog, request)
