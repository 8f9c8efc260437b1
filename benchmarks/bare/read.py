"""A bare read process: the same rows the newsroom reads, printed as the same JSON with the
standard library. Imports the library (as every process on this stack does) and SQLAlchemy Core,
or with `--driver` the bare driver (sqlite3 / psycopg) and no SQLAlchemy; nothing of the newsroom.

    python benchmarks/bare/read.py [--driver] URL page SLUG
    python benchmarks/bare/read.py [--driver] URL list

URL is the newsroom's: sqlite:////path/newsroom.db or postgresql://user@host:port/db?schema=NAME.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from typing import Any

import eventsourcing.application  # noqa: F401  (the stack: every process here imports the library)

STORY = "SELECT story_id, header, version, updated_at FROM page_stories WHERE slug = {p}"
UPDATES = (
    "SELECT number, page FROM page_updates WHERE story_id = {p} AND to_version IS NULL ORDER BY number DESC"
)
STORIES = "SELECT header, version FROM page_stories ORDER BY opened_position"
_IN_THE_SUMMARY = ("slug", "headline", "standfirst", "status", "pinned")
"""The header column's fields the page JSON shows before the version, and `pinned` (each update
says whether it is pinned): the others follow the summary as they are stored."""


def iso(moment: Any) -> str:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(UTC).isoformat()[:-6] + "Z"


def page_document(story: Any, rows: list[Any], slug: str) -> dict[str, Any]:
    _, header_text, version, updated_at = story
    header = json.loads(header_text)
    pinned = header["pinned"]
    updates = []
    for number, text in rows:
        update = json.loads(text)
        if number == pinned:
            update["pinned"] = True
            updates.insert(0, update)
        else:
            updates.append(update)
    key_events = sorted((u for u in updates if u["key_event"]), key=lambda u: u["number"], reverse=True)
    return {
        "slug": slug,
        "headline": header["headline"],
        "standfirst": header["standfirst"],
        "status": header["status"],
        "version": version,
        "updated_at": iso(updated_at),
        **{name: value for name, value in header.items() if name not in _IN_THE_SUMMARY},
        "key_events": [
            {"number": u["number"], "title": u["title"], "posted_at": u["posted_at"]} for u in key_events
        ],
        "updates": updates,
    }


def story_line(header_text: str, version: int) -> dict[str, Any]:
    header = json.loads(header_text)
    return {
        "slug": header["slug"],
        "headline": header["headline"],
        "status": header["status"],
        "version": version,
    }


def split_url(url: str) -> tuple[str, str]:
    """The URL without its schema, and the schema: a plain name (the newsroom's rule), since it is
    given to the server as an option's text."""
    base, _, schema = url.partition("?schema=")
    if schema and not re.fullmatch(r"[a-z_][a-z0-9_$]*", schema):
        sys.exit(f"schema {schema!r} is not a plain name: lower-case letters, digits, _ and $")
    return base, schema


def with_sqlalchemy(url: str, command: list[str]) -> Any:
    from sqlalchemy import create_engine, text

    base, schema = split_url(url)
    if base.startswith("sqlite"):
        engine = create_engine(base)
    else:
        engine = create_engine(
            base.replace("postgresql://", "postgresql+psycopg://", 1),
            connect_args={"options": f"-c search_path={schema}"},
        )
    with engine.connect() as connection:
        if command[0] == "list":
            rows = connection.execute(text(STORIES.format())).all()
            return [story_line(header, version) for header, version in rows]
        story = connection.execute(text(STORY.format(p=":slug")), {"slug": command[1]}).one()
        rows = connection.execute(text(UPDATES.format(p=":id")), {"id": story[0]}).all()
    return page_document(story, rows, command[1])


def with_driver(url: str, command: list[str]) -> Any:
    base, schema = split_url(url)
    if base.startswith("sqlite"):
        import sqlite3

        connection: Any = sqlite3.connect(base.split("///", 1)[1])
        p = "?"
    else:
        import psycopg

        connection = psycopg.connect(base, options=f"-c search_path={schema}")
        p = "%s"
    with connection:
        if command[0] == "list":
            rows = connection.execute(STORIES).fetchall()
            return [story_line(header, version) for header, version in rows]
        story = connection.execute(STORY.format(p=p), (command[1],)).fetchone()
        rows = connection.execute(UPDATES.format(p=p), (story[0],)).fetchall()
    return page_document(story, rows, command[1])


def main(argv: list[str]) -> None:
    driver = argv[0] == "--driver"
    url, *command = argv[1:] if driver else argv
    document = (with_driver if driver else with_sqlalchemy)(url, command)
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
