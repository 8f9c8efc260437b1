"""The readers' web over HTTP (Starlette's test client), on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.testclient import TestClient

from cli.reading import render_page
from domain.application import Newsroom
from infrastructure.bootstrap import Services
from infrastructure.web.site import Site
from tests.seed_content import SEED_SLUG, missing_or_out_of_order
from tests.web.conftest import EDITOR, live_story


def test_the_index_lists_published_stories_live_first_and_never_drafts(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, "ended-story")
    app.close_story("ended-story", editor=EDITOR)
    live_story(app, "live-story")
    app.open_story("secret-draft", "Not yet", editor=EDITOR)
    site.refresh()

    answer = client.get("/")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.text.index("/stories/live-story") < answer.text.index("/stories/ended-story")
    assert "secret-draft" not in answer.text
    assert "Ended" in answer.text and "Leaders meet" in answer.text


def test_the_story_page_shows_the_seed_content_in_the_seed_order(
    seeded: Newsroom, client: TestClient
) -> None:
    answer = client.get(f"/stories/{SEED_SLUG}")

    assert answer.status_code == 200
    text = re.sub(r"<script.*?</script>", "", answer.text, flags=re.S)
    assert missing_or_out_of_order(html.unescape(re.sub(r"<[^>]+>", " ", text))) == []


def test_the_story_page_has_update_anchors_json_ld_and_a_feed_link(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=2)
    app.mark_key_event("syria", 1, editor=EDITOR)
    site.refresh()

    text = client.get("/stories/syria").text

    assert 'id="update-1"' in text and 'id="update-2"' in text
    assert '<a href="#update-1">' in text  # the key events list links to the update
    assert '<link rel="alternate" type="application/atom+xml"' in text and "/stories/syria/feed.atom" in text
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))
    assert ld["@type"] == "LiveBlogPosting" and "coverageStartTime" in ld and "coverageEndTime" not in ld
    assert [u["headline"] for u in ld["liveBlogUpdate"]] == ["Update 2", "Update 1"]
    assert ld["liveBlogUpdate"][0]["articleBody"] == "Body 2."


def test_a_live_page_loads_the_page_script_before_the_script_that_follows_the_story(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    site.refresh()

    text = client.get("/stories/syria").text

    scripts = re.findall(r'<script src="([^"]+)" defer></script>', text)
    assert scripts == ["/static/live_page.js", "/static/live.js"]
    for script in scripts:
        answer = client.get(script)
        assert answer.status_code == 200 and "javascript" in answer.headers["content-type"]


def test_a_closed_story_is_served_as_ended_with_its_coverage_end_time(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    app.close_story("syria", editor=EDITOR)
    site.refresh()

    text = client.get("/stories/syria").text

    assert "This live coverage has ended." in text
    assert '"coverageEndTime"' in text


def test_drafts_and_unknown_stories_are_404_pages(app: Newsroom, site: Site, client: TestClient) -> None:
    app.open_story("draft", "Draft", editor=EDITOR)
    site.refresh()

    for path in (
        "/stories/draft",
        "/stories/nope",
        "/stories/Not_A_Slug",
        "/nowhere",
        "/stories/draft/feed.atom",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"].startswith("text/html")
        assert "Not found" in answer.text and "Traceback" not in answer.text


def test_api_errors_are_one_line_of_json(app: Newsroom, site: Site, client: TestClient) -> None:
    app.open_story("draft", "Draft", editor=EDITOR)
    site.refresh()

    for path in (
        "/api/stories/draft",
        "/api/stories/nope",
        "/api/nowhere",
        "/api/stories/draft/changes?after=0",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.text.count("\n") == 1 and set(answer.json()) == {"error"}


def test_the_api_page_of_a_short_story_is_the_cli_page_json_and_its_paging(
    seeded: Newsroom, newsroom: Services, client: TestClient
) -> None:
    answer = client.get(f"/api/stories/{SEED_SLUG}")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    paged = answer.json()
    paging = paged.pop("paging")
    assert paged == json.loads(render_page(newsroom.caught_up().page(SEED_SLUG), "json"))
    assert paging == {"size": 20, "before": None, "older": None, "newer": None}


def test_the_api_lists_published_stories(app: Newsroom, site: Site, client: TestClient) -> None:
    live_story(app)
    app.open_story("draft", "Draft", editor=EDITOR)
    site.refresh()

    stories = client.get("/api/stories").json()

    assert [(s["slug"], s["headline"], s["standfirst"], s["status"], s["version"]) for s in stories] == [
        ("syria", "Syria talks", "Leaders meet", "live", 4)
    ]
    assert stories[0]["updated_at"].endswith("Z")


def test_an_archived_view_shows_the_page_as_it_stood_and_says_so(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=1)  # versions 1 open, 2 post, 3 publish
    app.post_update("syria", "Later", "Later body.", editor=EDITOR)
    site.refresh()

    archived = client.get("/stories/syria?version=3").text
    at_time = client.get("/stories/syria?at=2013-05-10T09:02:30Z").text  # version 3 was at 09:02

    assert "Archived view" in archived and "Later" not in archived and "Update 1" in archived
    assert "/static/live.js" not in archived and "/static/live_page.js" not in archived
    assert "Archived view" in at_time and "Later" not in at_time
    assert "Archived view" not in client.get("/stories/syria").text


def test_an_archived_view_of_a_draft_version_or_a_future_version_is_404(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=1)
    site.refresh()

    assert client.get("/stories/syria?version=2").status_code == 404  # still a draft then
    assert client.get("/stories/syria?version=9").status_code == 404
    assert client.get("/stories/syria?at=2001-01-01T00:00:00Z").status_code == 404


def test_bad_query_values_are_400_not_errors(app: Newsroom, site: Site, client: TestClient) -> None:
    live_story(app)
    site.refresh()

    for path in (
        "/stories/syria?version=x",
        "/stories/syria?at=yesterday",
        "/stories/syria?version=1&at=2013-05-10",
    ):
        assert client.get(path).status_code == 400, path


def test_every_answer_carries_the_security_and_caching_headers(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    site.refresh()

    for path in (
        "/",
        "/stories/syria",
        "/api/stories",
        "/api/stories/syria",
        "/nowhere",
        "/static/live.js",
        "/static/live_page.js",
    ):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]


def test_a_revalidation_with_the_etag_is_a_304_until_the_story_changes(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    site.refresh()
    first = client.get("/stories/syria")
    etag = first.headers["etag"]

    again = client.get("/stories/syria", headers={"If-None-Match": etag})
    json_etag = client.get("/api/stories/syria").headers["etag"]
    app.post_update("syria", "News", "More.", editor=EDITOR)
    site.refresh()
    changed = client.get("/stories/syria", headers={"If-None-Match": etag})

    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert json_etag != etag
    assert changed.status_code == 200 and changed.headers["etag"] != etag and "News" in changed.text


def test_larger_answers_are_gzipped(seeded: Newsroom, client: TestClient) -> None:
    answer = client.get(f"/stories/{SEED_SLUG}", headers={"Accept-Encoding": "gzip"})

    assert answer.headers["content-encoding"] == "gzip"
    assert int(answer.headers["content-length"]) < len(answer.content) / 2
    assert answer.headers["vary"] == "Accept-Encoding"
    assert answer.text == client.get(f"/stories/{SEED_SLUG}", headers={"Accept-Encoding": "identity"}).text


def test_a_failure_inside_is_a_plain_500_without_a_traceback(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app)
    site.refresh()

    def broken(*_args: object) -> None:
        raise RuntimeError("secret internals")

    site.page = broken  # type: ignore[method-assign,assignment]
    site.window = broken  # type: ignore[method-assign,assignment]

    page, api = client.get("/stories/syria"), client.get("/api/stories/syria")

    assert page.status_code == 500 and "secret internals" not in page.text and "Traceback" not in page.text
    assert api.status_code == 500 and set(api.json()) == {"error"}


def test_a_read_only_store_is_served_as_its_read_models_stand(sqlite_url: str) -> None:
    from infrastructure.bootstrap import bootstrap
    from infrastructure.web.app import create_app
    from infrastructure.web.reading import Reading

    writer = bootstrap(sqlite_url)
    live_story(writer.app)
    writer.runner.catch_up()  # as a follower on the writable URL would
    writer.close()
    reading = Reading.open(f"{sqlite_url}?mode=ro")
    try:
        with TestClient(create_app(Site(reading))) as read_only:
            page = read_only.get("/api/stories/syria")
    finally:
        reading.close()

    assert page.status_code == 200 and page.json()["version"] == 4


def test_a_story_shows_its_times_in_its_own_zone_while_json_stays_utc(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    live_story(app, updates=1)
    app.change_time_zone("syria", "Asia/Tokyo", editor=EDITOR)
    site.refresh()

    posted_at = client.get("/api/stories/syria").json()["updates"][0]["posted_at"]
    text = client.get("/stories/syria").text
    before = client.get("/stories/syria?version=3").text

    local = datetime.fromisoformat(posted_at).astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    assert posted_at.endswith("Z")
    assert "All times Asia/Tokyo" in text and f">{local}</time>" in text
    assert "All times UTC" in before  # the archived view as it stood
