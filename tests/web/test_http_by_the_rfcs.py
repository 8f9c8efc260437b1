"""HTTP as the RFCs and clients expect it: a 405 names the methods allowed, `Vary` names each
header once (on a 304 too), and a parameter given twice, unknown, or with a value no filter has is
a 400 naming it; the wording names the parameter or header that was wrong."""

from __future__ import annotations

import html

import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from tests.seed_content import SEED_SLUG

PAGE = f"/stories/{SEED_SLUG}"
CHANGES = f"/api/stories/{SEED_SLUG}/changes"


@pytest.mark.parametrize("path", [PAGE, "/", f"/api/stories/{SEED_SLUG}", f"{PAGE}/feed.atom"])
def test_a_405_names_the_methods_allowed(client: TestClient, seeded: Newsroom, path: str) -> None:
    answer = client.post(path)

    assert answer.status_code == 405
    assert {m.strip() for m in answer.headers["allow"].split(",")} == {"GET", "HEAD"}


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_vary_names_accept_encoding_once(client: TestClient, seeded: Newsroom, encoding: str) -> None:
    answer = client.get(PAGE, headers={"accept-encoding": encoding})

    assert answer.headers.get_list("vary") == ["Accept-Encoding"]


def test_a_304_keeps_its_vary(client: TestClient, seeded: Newsroom) -> None:
    etag = client.get(PAGE).headers["etag"]

    answer = client.get(PAGE, headers={"if-none-match": etag})

    assert answer.status_code == 304
    assert answer.headers.get_list("vary") == ["Accept-Encoding"]


@pytest.mark.parametrize(
    ("path", "named"),
    [
        (f"{PAGE}?version=2&version=9", "'version' is given more than once"),
        (f"{CHANGES}?after=0&after=2", "'after' is given more than once"),
        (f"{PAGE}?nonsense=1", "unknown parameter 'nonsense': this address takes version, at, filter"),
        (f"{CHANGES}?after=0&since=3", "unknown parameter 'since': this address takes after, until, limit"),
        ("/?page=2", "unknown parameter 'page': this address takes no parameters"),
        (f"{PAGE}?filter=bogus", "filter must be key-events; got 'bogus'"),
    ],
)
def test_a_parameter_given_twice_unknown_or_unmeant_is_a_400_naming_it(
    client: TestClient, seeded: Newsroom, path: str, named: str
) -> None:
    answer = client.get(path)

    assert answer.status_code == 400
    assert named in html.unescape(answer.text)


@pytest.mark.parametrize("value", ["-1", "0", "x"])
def test_a_bad_version_is_worded_the_same_way_whatever_is_wrong(
    client: TestClient, seeded: Newsroom, value: str
) -> None:
    answer = client.get(f"{PAGE}?version={value}")

    assert answer.status_code == 400
    assert f"version must be a whole number from 1; got {value!r}" in html.unescape(answer.text)


def test_a_bad_last_event_id_is_named_as_the_header(client: TestClient, seeded: Newsroom) -> None:
    answer = client.get(f"{PAGE}/live", headers={"last-event-id": "999999"})

    assert answer.status_code == 400
    assert "Last-Event-ID must be a version of" in html.unescape(answer.text)
