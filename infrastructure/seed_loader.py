"""Loads seed stories (TOML files) through the application's own commands, resumably."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from domain.application import Newsroom
from domain.errors import InvalidInput, StoryNotFound
from domain.story import CLOSED, DRAFT, LIVE

DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class SeedResult:
    """What loading one seed story did."""

    slug: str
    opened: bool
    updates_posted: int
    published: bool


def seed_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise InvalidInput(f"no seed files (*.toml) in {str(path)!r}")
        return files
    if path.is_file():
        return [path]
    raise InvalidInput(f"seed path {str(path)!r} does not exist: give a .toml file or a folder of them")


def load_seed(app: Newsroom, path: Path) -> SeedResult:
    """Brings the store up to the seed: opens the story, posts the updates it lacks, publishes.

    Running it again appends nothing; a load cut short is finished by the next run.
    """
    try:
        seed = tomllib.loads(path.read_text(encoding="utf-8"))
        slug, editor = seed["slug"], seed.get("editor", "seed")
        updates = seed.get("updates", [])
    except (tomllib.TOMLDecodeError, KeyError, UnicodeDecodeError) as error:
        raise InvalidInput(f"seed file {str(path)!r} is malformed: {error}") from None
    try:
        story = app.get_story(slug)
        opened = False
    except StoryNotFound:
        app.open_story(slug, seed["headline"], seed.get("standfirst"), editor=editor)
        story, opened = app.get_story(slug), True
    missing = updates[story.update_count :]
    for update in missing:
        app.post_update(
            slug,
            update["title"],
            update["body"],
            byline=update.get("byline"),
            key_event=update.get("key_event", False),
            editor=editor,
        )
    published = story.status == DRAFT and seed.get("status") in (LIVE, CLOSED)
    if published:
        app.publish_story(slug, editor=editor)
    return SeedResult(slug, opened, len(missing), published)
