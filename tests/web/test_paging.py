"""A long story in pages: the newest page, older pages by `?before=N`, an update's own page, the
key events of the whole story, and the JSON paged the same way; on both stores."""

from __future__ import annotations

import re
from html import unescape

import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.bootstrap import Services
from infrastructure.web.app import create_app
from infrastructure.web.site import Site
from tests.web.long_stories import EDITOR, long_story

SLUG = "long"


def numbers(html: str) -> list[int]:
    """The updates a page shows, in order."""
    return [int(n) for n in re.findall(r'<article class="update[^"]*" id="update-(\d+)"', html)]


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<link rel="{rel}" href="([^"]*)">', html)
    return None if found is None else unescape(found.group(1))


PUBLIC = "https://news.example/"


def canonical(site: Site, path: str) -> str | None:
    """The canonical address of `path` on a server that knows its public URL (a canonical
    address is named only absolute)."""
    with TestClient(create_app(site, follow=False, public_url=PUBLIC)) as public:
        return link(public.get(path).text, "canonical")


def test_the_newest_page_shows_the_newest_twenty_and_links_to_the_older(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    long_story(app, SLUG, 45)
    site.refresh()

    page = client.get(f"/stories/{SLUG}").text

    assert numbers(page) == list(range(45, 25, -1))
    assert link(page, "next") == f"/stories/{SLUG}?before=26"
    assert link(page, "prev") is None
    assert canonical(site, f"/stories/{SLUG}") == f"{PUBLIC}stories/{SLUG}"
    assert f'id="older-updates" rel="next" href="/stories/{SLUG}?before=26"' in page


def test_older_pages_follow_one_another_to_the_first_update(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    long_story(app, SLUG, 45)
    site.refresh()

    second = client.get(f"/stories/{SLUG}?before=26").text
    third = client.get(f"/stories/{SLUG}?before=6").text

    assert numbers(second) == list(range(25, 5, -1))
    assert f'<link rel="alternate" type="application/json" href="/api/stories/{SLUG}?before=26">' in second
    assert (link(second, "prev"), link(second, "next")) == (f"/stories/{SLUG}", f"/stories/{SLUG}?before=6")
    assert canonical(site, f"/stories/{SLUG}?before=26") == f"{PUBLIC}stories/{SLUG}?before=26"
    assert numbers(third) == [5, 4, 3, 2, 1]
    assert link(third, "next") is None and link(third, "prev") == f"/stories/{SLUG}?before=26"


def test_an_older_page_does_not_move_when_updates_arrive(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    long_story(app, SLUG, 45)
    site.refresh()
    before = numbers(client.get(f"/stories/{SLUG}?before=26").text)

    for number in range(3):
        app.post_update(SLUG, f"Late {number}", "News.", editor=EDITOR)
    site.refresh()

    assert numbers(client.get(f"/stories/{SLUG}?before=26").text) == before
    assert numbers(client.get(f"/stories/{SLUG}").text) == list(range(48, 28, -1))


def test_the_pinned_update_heads_the_newest_page_only(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 45)
    app.pin_update(SLUG, 10, editor=EDITOR)
    site.refresh()

    newest = numbers(client.get(f"/stories/{SLUG}").text)
    older = numbers(client.get(f"/stories/{SLUG}?before=26").text)

    assert newest == [10, *range(45, 25, -1)]
    assert older == [*range(25, 10, -1), *range(9, 4, -1)]


def test_a_retracted_update_leaves_no_gap_in_a_page(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 45)
    app.retract_update(SLUG, 30, reason="Wrong", editor=EDITOR)
    site.refresh()

    page = client.get(f"/stories/{SLUG}").text

    assert numbers(page) == [*range(45, 30, -1), *range(29, 24, -1)]
    assert link(page, "next") == f"/stories/{SLUG}?before=25"


def test_the_key_events_list_covers_the_whole_story_and_links_each_to_its_page(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    long_story(app, SLUG, 45, key_events=(3, 40))
    site.refresh()

    page = client.get(f"/stories/{SLUG}").text
    listed = re.findall(r'<li data-number="(\d+)"><a href="([^"]*)">', page)

    assert listed == [("40", "#update-40"), ("3", f"/stories/{SLUG}?before=4#update-3")]
    assert 3 in numbers(client.get(f"/stories/{SLUG}?before=4").text)


def test_bad_cursors_are_a_400_naming_before(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 45)
    site.refresh()

    for cursor in ("abc", "0", "-3", "1", "47", "99999999999999"):
        html = client.get(f"/stories/{SLUG}?before={cursor}")
        api = client.get(f"/api/stories/{SLUG}?before={cursor}")
        assert (html.status_code, api.status_code) == (400, 400), cursor
        assert "before" in api.json()["error"], cursor


def test_the_json_pages_as_the_web_does(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 45, key_events=(3,))
    site.refresh()

    newest = client.get(f"/api/stories/{SLUG}").json()
    older = client.get(newest["paging"]["older"]).json()

    assert [u["number"] for u in newest["updates"]] == list(range(45, 25, -1))
    assert newest["paging"] == {
        "size": 20,
        "before": None,
        "older": f"/api/stories/{SLUG}?before=26",
        "newer": None,
    }
    assert [u["number"] for u in older["updates"]] == list(range(25, 5, -1))
    assert older["paging"]["newer"] == f"/api/stories/{SLUG}"
    assert [k["number"] for k in newest["key_events"]] == [k["number"] for k in older["key_events"]] == [3]


def test_the_page_size_is_the_servers(app: Newsroom, site: Site) -> None:
    from infrastructure.web.app import create_app

    long_story(app, SLUG, 12)
    site.refresh()
    with TestClient(create_app(site, follow=False, page_size=5)) as small:
        page = small.get(f"/stories/{SLUG}").text

    assert numbers(page) == [12, 11, 10, 9, 8]
    assert link(page, "next") == f"/stories/{SLUG}?before=8"


def test_an_archived_version_is_paged_too(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 45, key_events=(3,))
    app.post_update(SLUG, "Later", "News.", editor=EDITOR)
    site.refresh()
    version = app.get_story(SLUG).version - 1

    page = client.get(f"/stories/{SLUG}?version={version}&before=26").text

    assert numbers(page) == list(range(25, 5, -1))
    assert link(page, "next") == f"/stories/{SLUG}?version={version}&before=6"
    assert unescape(page).count(f'href="/stories/{SLUG}?version={version}&before=4#update-3"') == 1


def test_an_update_has_its_own_page_linking_to_it_in_context(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    long_story(app, SLUG, 45)
    site.refresh()

    answer = client.get(f"/stories/{SLUG}/updates/7")
    page = answer.text
    context = re.search(r'id="in-context" href="([^"]*)"', page)

    assert answer.status_code == 200 and numbers(page) == [7]
    assert canonical(site, f"/stories/{SLUG}/updates/7") == f"{PUBLIC}stories/{SLUG}/updates/7"
    assert "<title>Update 7 · A long story</title>" in page
    assert context is not None and context.group(1) == f"/stories/{SLUG}?before=8#update-7"
    assert 7 in numbers(client.get(context.group(1).split("#")[0]).text)


def test_a_retracted_update_is_gone_from_its_own_page(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 5)
    app.retract_update(SLUG, 2, reason="Wrong", editor=EDITOR)
    site.refresh()

    gone, never, malformed = (client.get(f"/stories/{SLUG}/updates/{n}") for n in ("2", "9", "x"))

    assert (gone.status_code, never.status_code, malformed.status_code) == (410, 404, 404)
    assert "Body of update 2" not in gone.text


def test_a_taken_down_update_is_gone_from_its_older_page_and_its_own_at_once(
    app: Newsroom, newsroom: Services, site: Site, client: TestClient
) -> None:
    from infrastructure.takedown import take_down_update

    long_story(app, SLUG, 45)
    site.refresh()
    older, own = f"/stories/{SLUG}?before=26", f"/stories/{SLUG}/updates/7"
    first = [client.get(path) for path in (older, own, f"/api/stories/{SLUG}?before=26")]
    assert all("Body of update 7." in answer.text for answer in first)

    take_down_update(newsroom, SLUG, 7, order="HC-2013-1", note="Removed by court order.", editor=EDITOR)
    site.refresh()
    later = [client.get(path) for path in (older, own, f"/api/stories/{SLUG}?before=26")]
    revalidated = client.get(older, headers={"If-None-Match": first[0].headers["etag"]})

    assert all(answer.status_code == 200 for answer in later)
    assert all("Body of update 7." not in answer.text for answer in later)
    assert "Removed by court order." in later[1].text
    assert revalidated.status_code == 200


def test_the_structured_data_lists_the_updates_of_that_page(
    app: Newsroom, site: Site, client: TestClient
) -> None:
    import json

    long_story(app, SLUG, 45)
    site.refresh()

    for path, shown in (
        (f"/stories/{SLUG}", range(45, 25, -1)),
        (f"/stories/{SLUG}?before=26", range(25, 5, -1)),
    ):
        html = client.get(path).text
        posting = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        )
        listed = posting["liveBlogUpdate"]
        assert posting["@type"] == "LiveBlogPosting"
        assert [item["url"] for item in listed] == [f"/stories/{SLUG}/updates/{n}" for n in shown]


def test_a_page_revalidates_with_a_304(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 45)
    site.refresh()
    first = client.get(f"/stories/{SLUG}?before=26")

    again = client.get(f"/stories/{SLUG}?before=26", headers={"If-None-Match": first.headers["etag"]})

    assert again.status_code == 304


def test_serve_takes_its_page_size_from_the_environment(
    app: Newsroom, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    from tests.web.live_server import serve_process

    long_story(app, SLUG, 12)
    monkeypatch.setenv("NEWSROOM_PAGE_SIZE", "5")
    with serve_process(store_url) as (_process, base):
        page = httpx.get(f"{base}/stories/{SLUG}").text

    assert numbers(page) == [12, 11, 10, 9, 8]


def test_serve_refuses_a_page_size_out_of_range_on_one_line(sqlite_url: str) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "cli", "--db", sqlite_url, "serve", "--port", "0", "--page-size", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--page-size" in result.stderr


def test_the_feed_links_each_entry_to_its_own_page(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 25)
    site.refresh()

    feed = client.get(f"/stories/{SLUG}/feed.atom").text
    links = re.findall(r'<entry>.*?<link rel="alternate" type="text/html" href="([^"]*)"/>', feed, re.S)

    assert len(links) == 25 and f"/stories/{SLUG}/updates/1" in links
    assert all(re.fullmatch(rf"/stories/{SLUG}/updates/\d+", href) for href in links)


def test_a_page_says_which_updates_it_holds(app: Newsroom, site: Site) -> None:
    long_story(app, SLUG, 45, key_events=(3,))
    app.pin_update(SLUG, 10, editor=EDITOR)
    site.refresh()

    newest, older = site.window(SLUG, 20), site.window(SLUG, 20, before=26)

    assert newest.holds == {10, 3, *range(26, 46)}
    assert older.holds == {3, *range(5, 26)} - {10}
    assert site.update_page(SLUG, 7).holds == {7}


def test_each_update_s_time_links_to_its_own_page(app: Newsroom, site: Site, client: TestClient) -> None:
    long_story(app, SLUG, 3)
    site.refresh()
    app.revise_update(SLUG, 2, title="Update 2, revised", reason="Sharper", editor=EDITOR)
    site.refresh()

    page = client.get(f"/stories/{SLUG}").text
    changed = client.get(f"/api/stories/{SLUG}/changes?after=0").json()["changes"][-1]["html"]

    assert re.findall(r'<a class="permalink" href="([^"]*)">', page) == [
        f"/stories/{SLUG}/updates/{n}" for n in (3, 2, 1)
    ]
    assert f'<a class="permalink" href="/stories/{SLUG}/updates/2">' in changed


def test_an_update_s_own_page_previews_as_that_update(app: Newsroom, site: Site) -> None:
    long_story(app, SLUG, 45)
    site.refresh()

    with TestClient(create_app(site, follow=False, public_url=PUBLIC)) as public:
        page = public.get(f"/stories/{SLUG}/updates/7").text

    def meta(name: str) -> str | None:
        found = re.search(rf'<meta (?:name|property)="{name}" content="([^"]*)">', page)
        return None if found is None else unescape(found.group(1))

    assert meta("og:title") == meta("twitter:title") == "Update 7 · A long story"
    assert meta("description") == meta("og:description") == "Body of update 7."
    assert meta("og:url") == f"{PUBLIC}stories/{SLUG}/updates/7"
