"""The purger over a real store (SQLite and PostgreSQL): what it tells the cache after each event,
from the position it kept, and that a purge the cache refused is sent again."""

from __future__ import annotations

import time

from infrastructure.bootstrap import Services
from infrastructure.web.purge import Purger
from infrastructure.web.reading import Reading
from infrastructure.web.site import Site
from tests.web.conftest import EDITOR, live_story

CACHE = "http://127.0.0.1:6081/"


class Cache:
    """Takes purges (each a set of tags), or refuses them while `down`."""

    def __init__(self) -> None:
        self.purged: list[set[str]] = []
        self.down = False

    def send(self, tags: set[str]) -> None:
        if self.down:
            raise ConnectionRefusedError("the cache is down")
        self.purged.append(tags)


def _purger(newsroom: Services, cache: Cache) -> tuple[Purger, Site]:
    """A server's site and purger, as `serve --cache-purge` makes them (a new one: a restart)."""
    reading = Reading(newsroom)
    site = Site(reading)
    return Purger(reading.purge_positions(CACHE), site.events, cache.send), site


def _purge_what_is_shown(purger: Purger, site: Site) -> None:
    site.refresh()
    purger.shown(site.catalog, site.erasures)
    purger.purge()


def test_a_cache_never_purged_is_purged_whole_once(newsroom: Services) -> None:
    live_story(newsroom.app)
    cache = Cache()
    purger, site = _purger(newsroom, cache)

    _purge_what_is_shown(purger, site)
    _purge_what_is_shown(purger, site)

    assert cache.purged == [{"newsroom"}]


def test_after_a_restart_the_purges_go_on_from_the_position_kept(newsroom: Services) -> None:
    live_story(newsroom.app)
    cache = Cache()
    _purge_what_is_shown(*_purger(newsroom, cache))

    newsroom.app.revise_update("syria", 2, body="Revised.", reason="Typo", editor=EDITOR)
    _purge_what_is_shown(*_purger(newsroom, cache))

    assert cache.purged == [{"newsroom"}, {"story/syria/head", "stories", "story/syria/update/2"}]


def test_a_purge_the_cache_refused_is_sent_again_with_what_came_after(newsroom: Services) -> None:
    live_story(newsroom.app)
    cache = Cache()
    purger, site = _purger(newsroom, cache)
    _purge_what_is_shown(purger, site)
    cache.down = True
    newsroom.app.retract_update("syria", 1, reason="Wrong", editor=EDITOR)
    try:
        _purge_what_is_shown(purger, site)
        refused = False
    except ConnectionRefusedError:
        refused = True
    cache.down = False
    newsroom.app.post_update("syria", "Three", "Third.", editor=EDITOR)

    _purge_what_is_shown(*_purger(newsroom, cache))

    assert refused
    assert cache.purged == [
        {"newsroom"},
        {"story/syria/head", "stories", "story/syria/update/1", "story/syria/update/3"},
    ]


def test_a_takedown_purges_every_answer_of_its_story(newsroom: Services) -> None:
    live_story(newsroom.app)
    cache = Cache()
    purger, site = _purger(newsroom, cache)
    _purge_what_is_shown(purger, site)

    newsroom.app.take_down_update("syria", 1, order="HC-1", note="Removed.", editor=EDITOR)
    _purge_what_is_shown(purger, site)

    assert cache.purged[-1] == {"story/syria", "story/syria/head", "stories", "story/syria/update/1"}


def test_a_takedown_is_purged_once_more_shortly_after_for_a_fetch_begun_before_it(
    newsroom: Services,
) -> None:
    live_story(newsroom.app)
    cache = Cache()
    purger, site = _purger(newsroom, cache)
    _purge_what_is_shown(purger, site)
    newsroom.app.take_down_update("syria", 1, order="HC-1", note="Removed.", editor=EDITOR)
    site.refresh()
    purger.start()
    try:
        purger.shown(site.catalog, site.erasures)
        deadline = time.monotonic() + 10
        while len(cache.purged) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        purger.stop()

    assert cache.purged[1:] == [
        {"story/syria", "story/syria/head", "stories", "story/syria/update/1"},
        {"story/syria"},
    ]


def test_an_erasure_purges_everything(newsroom: Services) -> None:
    live_story(newsroom.app)
    cache = Cache()
    purger, site = _purger(newsroom, cache)
    _purge_what_is_shown(purger, site)

    newsroom.app.erase_person("Someone Named", request="DSAR-1", editor="root")
    _purge_what_is_shown(purger, site)

    assert cache.purged == [{"newsroom"}, {"newsroom"}]
