"""Loads seed stories (TOML files) through the application's own commands, resumably."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain import rules
from domain.errors import InvalidInput, StoryNotFound
from domain.markdown_body import parse_body
from domain.story import CLOSED, DRAFT, LIVE, Story
from infrastructure.bounded_read import InputTooLarge, read_file_at_most

if TYPE_CHECKING:
    from domain.application import Newsroom

DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_BYTES_MAX = 8 * 1024 * 1024
"""The most bytes read of one seed file: a story of dozens of the longest updates, hundreds of
usual ones (the project's seed is 5 KB). A larger file, or a device such as /dev/zero, is refused
once this much has been read."""


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
    if path.exists():
        raise InvalidInput(
            f"seed path {str(path)!r} is neither a file nor a folder: give a .toml file or a folder of them"
        )
    raise InvalidInput(f"seed path {str(path)!r} does not exist: give a .toml file or a folder of them")


@dataclass(frozen=True)
class SeedUpdate:
    """One update of a seed story, as its file gives it."""

    title: str
    body: str
    byline: str | None = None
    key_event: bool = False


@dataclass(frozen=True)
class Seed:
    """A seed story, read and checked whole: every field of the right type and within the
    domain's rules, before anything of it is written."""

    path: Path
    slug: str
    headline: str
    updates: tuple[SeedUpdate, ...]
    standfirst: str | None = None
    editor: str = "seed"
    status: str = DRAFT


STORY_FIELDS = {"slug": str, "headline": str, "standfirst": str, "editor": str, "status": str}
STORY_REQUIRED = ("slug", "headline")
UPDATE_FIELDS = {"title": str, "body": str, "byline": str, "key_event": bool}
UPDATE_REQUIRED = ("title", "body")
STATUSES = (DRAFT, LIVE, CLOSED)


class BadSeed(InvalidInput):
    """A seed file that cannot be loaded whole: which file, story and field, and what is wrong."""

    def __init__(
        self, path: Path, problem: str, *, slug: str | None = None, field: str | None = None
    ) -> None:
        self.path, self.problem, self.slug, self.field = path, problem, slug, field
        where = [f"seed file {str(path)!r}"]
        if slug is not None:
            where.append(f"story {slug!r}")
        if field is not None:
            where.append(field)
        super().__init__(f"{', '.join(where)}: {problem}; nothing was appended")


def read_seed(path: Path) -> Seed:
    """The seed story in `path`, checked whole (types, unknown keys, and the domain's own rules,
    tried on the story in memory); raises `BadSeed` naming the file, story and field."""
    try:
        data = tomllib.loads(read_file_at_most(path, SEED_BYTES_MAX, "it").decode("utf-8"))
    except InputTooLarge as error:
        raise BadSeed(path, f"{error}: keep one story to a file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadSeed(path, f"not valid TOML ({' '.join(str(error).split())})") from None
    except RecursionError:  # tomllib recurses once a level of nesting
        raise BadSeed(path, "not valid TOML (nested too deeply)") from None
    except OSError as error:
        raise BadSeed(path, f"cannot be read ({error.strerror or error})") from None
    fields = _fields(path, data, STORY_FIELDS, STORY_REQUIRED, where=None, slug=data.get("slug"))
    slug = fields["slug"]
    updates = data.get("updates", [])
    if not isinstance(updates, list):
        raise BadSeed(
            path, f"must be a list of [[updates]] tables, not {_kind(updates)}", slug=slug, field="updates"
        )
    seed = Seed(
        path=path,
        slug=slug,
        headline=fields["headline"],
        standfirst=fields.get("standfirst"),
        editor=fields.get("editor", "seed"),
        status=fields.get("status", DRAFT),
        updates=tuple(
            SeedUpdate(
                **_fields(path, update, UPDATE_FIELDS, UPDATE_REQUIRED, where=f"update {n}", slug=slug)
            )
            for n, update in enumerate(updates, start=1)
        ),
    )
    _try_in_memory(seed)
    return seed


def _fields(
    path: Path,
    table: object,
    types: Mapping[str, type],
    required: tuple[str, ...],
    *,
    where: str | None,
    slug: object,
) -> dict[str, Any]:
    """The table's fields, each of its type; refuses a key it does not know and a missing one."""
    story = slug if isinstance(slug, str) else None
    if not isinstance(table, dict):
        raise BadSeed(path, f"must be a table, not {_kind(table)}", slug=story, field=where)
    known = {*types, "updates"} if where is None else set(types)
    for key in table:
        if key not in known:
            raise BadSeed(
                path, f"unknown key {key!r} (known: {', '.join(sorted(known))})", slug=story, field=where
            )
    for key in required:
        if key not in table:
            raise BadSeed(path, "is missing", slug=story, field=_field(where, key))
    for key, kind in types.items():
        if key in table and not isinstance(table[key], kind):
            raise BadSeed(
                path,
                f"must be {_kind_name(kind)}, not {_kind(table[key])}",
                slug=story,
                field=_field(where, key),
            )
    return {key: table[key] for key in types if key in table}


def _try_in_memory(seed: Seed) -> None:
    """Applies the domain's rules to the whole story on an aggregate in memory, never saved: a
    rule broken anywhere is found before the first event is written."""
    if seed.status not in STATUSES:
        raise BadSeed(seed.path, f"must be one of {', '.join(STATUSES)}", slug=seed.slug, field="status")
    at = datetime(2000, 1, 1, tzinfo=UTC)  # no event of the trial is kept, so no clock is asked
    try:
        story = Story.open(seed.slug, seed.headline, seed.standfirst, editor=seed.editor, at=at)
    except InvalidInput as error:
        raise BadSeed(seed.path, str(error), slug=seed.slug) from None
    for number, update in enumerate(seed.updates, start=1):
        try:
            body = parse_body(rules.valid_text("body", update.body, rules.BODY_MAX))
            story.post_update(
                update.title,
                body,
                byline=update.byline,
                key_event=update.key_event,
                editor=seed.editor,
                at=at,
            )
        except InvalidInput as error:
            raise BadSeed(seed.path, str(error), slug=seed.slug, field=f"update {number}") from None


def _field(where: str | None, key: str) -> str:
    return key if where is None else f"{where} {key}"


def _kind(value: object) -> str:
    return _kind_name(type(value))


def _kind_name(kind: type) -> str:
    names = {str: "text", bool: "true or false", int: "a number", float: "a number", list: "a list"}
    names |= {dict: "a table", datetime: "a date-time"}
    return names.get(kind, kind.__name__)


def load_seed(app: Newsroom, seed: Seed | Path) -> SeedResult:
    """Brings the store up to the seed (a file is read whole by `read_seed` first): opens the
    story, publishes it (if the seed says live or closed), posts the updates it lacks.

    Running it again appends nothing; a load cut short is finished by the next run.
    """
    if isinstance(seed, Path):
        seed = read_seed(seed)
    slug, editor = seed.slug, seed.editor
    try:
        story = app.get_story(slug)
        opened = False
    except StoryNotFound:
        app.open_story(slug, seed.headline, seed.standfirst, editor=editor)
        story, opened = app.get_story(slug), True
    # Published before its updates are posted, as a live story is: the coverage starts (the
    # story's first publication) before the first update readers see, and each update is
    # recorded as posted to readers, not to a draft.
    published = story.status == DRAFT and seed.status in (LIVE, CLOSED)
    if published:
        app.publish_story(slug, editor=editor)
    missing = seed.updates[story.update_count :]
    for update in missing:
        app.post_update(
            slug, update.title, update.body, byline=update.byline, key_event=update.key_event, editor=editor
        )
    return SeedResult(slug, opened, len(missing), published)
