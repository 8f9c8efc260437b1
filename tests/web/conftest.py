"""Fixtures for the readers' web: the site over the application on a real store (`newsroom`, in
tests/conftest.py), and a Starlette test client that refreshes the site when told (no
broadcaster thread)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from domain.application import Newsroom
from infrastructure.bootstrap import Services
from infrastructure.seed_loader import load_seed, seed_files
from infrastructure.web.app import create_app
from infrastructure.web.reading import Reading
from infrastructure.web.site import Site

ROOT = Path(__file__).parents[2]
EDITOR = "Ann Editor"


@pytest.fixture
def site(newsroom: Services) -> Site:
    return Site(Reading(newsroom))


@pytest.fixture
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site, follow=False), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def seeded(app: Newsroom, site: Site) -> Newsroom:
    """The seed story loaded and the site refreshed."""
    for path in seed_files(ROOT / "seeds"):
        load_seed(app, path)
    site.refresh()
    return app


def live_story(app: Newsroom, slug: str = "syria", *, updates: int = 2) -> None:
    """A published story with `updates` updates."""
    app.open_story(slug, "Syria talks", standfirst="Leaders meet", editor=EDITOR)
    for number in range(1, updates + 1):
        app.post_update(slug, f"Update {number}", f"Body {number}.", editor=EDITOR)
    app.publish_story(slug, editor=EDITOR)
