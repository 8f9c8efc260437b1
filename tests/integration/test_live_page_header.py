"""The live-page read model keeps a story's header as the page codec writes it: one JSON text per
story and per version that changed it, so a new header field needs no new column."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime

from domain.page import Header
from infrastructure.bootstrap import Services
from infrastructure.page_json import header_from_json, header_json
from tests.integration.tampering import RawEvents

SLUG = "syria"


def test_the_header_is_stored_as_the_codec_writes_it_now_and_at_each_version(
    newsroom: Services, raw: RawEvents
) -> None:
    app = newsroom.app
    app.open_story(SLUG, "Syria talks", "Leaders meet", editor="ann")
    app.post_update(SLUG, "First", "News.", pin=True, editor="ann")
    app.change_headline(SLUG, "Syria talks end", reason="Later news", editor="ann")
    newsroom.runner.catch_up()
    queries = newsroom.queries

    now = raw.run(f"SELECT header FROM {raw.qualified('page_stories')}")
    versions = raw.run(
        f"SELECT from_version, header FROM {raw.qualified('page_headers')} ORDER BY from_version"
    )

    assert now == [(header_json(queries.page(SLUG).header),)]
    assert [(v, header_from_json(text)) for v, text in versions] == [
        (v, queries.page_at(SLUG, v).header) for v, _ in versions
    ]
    assert [v for v, _ in versions] == [1, 3, 4]  # opened, pinned, headline changed


def test_every_header_field_goes_through_the_codec_and_back() -> None:
    published = datetime(2013, 5, 10, 9, 0, 1, 250, tzinfo=UTC)
    header = Header(
        "syria", "Syria “talks”", "Leaders\n\nmeet", "closed", 2, "Europe/London", published, published
    )

    for shown in (header, replace(header, standfirst=None, pinned=None, published_at=None, closed_at=None)):
        assert header_from_json(header_json(shown)) == shown
    assert json.loads(header_json(header))["published_at"] == "2013-05-10T09:00:01.000250Z"
    assert list(json.loads(header_json(header))) == [f.name for f in fields(Header)]


def test_a_header_stored_before_a_field_existed_reads_it_as_the_fields_default() -> None:
    stored = '{"slug":"syria","headline":"Syria talks","standfirst":null,"status":"live","pinned":null}'

    assert header_from_json(stored) == Header("syria", "Syria talks", None, "live", None)
