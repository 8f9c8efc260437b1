"""`newsroom log` and `newsroom editors`: who changed what, when and why, across the newsroom."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from cli.errors import BadUsage
from cli.formats import echo_json, format_option
from cli.session import Session, pass_session
from cli.times import IsoTime
from infrastructure.rendering.times import iso

if TYPE_CHECKING:
    from infrastructure.audit.log import EditorActivity, LogEntry


@click.command("log")
@click.option("--story", "slug", help="Only this story's events.")
@click.option("--editor", help="Only this editor's events.")
@click.option("--since", type=IsoTime(), help="Only events at or after this time.")
@click.option("--until", type=IsoTime(), help="Only events at or before this time.")
@click.option("--type", "event_type", metavar="TYPE", help="Only events of this type, e.g. UpdateRetracted.")
@format_option(click.Choice(["text", "json", "jsonl"]))
@pass_session
def log(
    session: Session,
    slug: str | None,
    editor: str | None,
    since: datetime | None,
    until: datetime | None,
    event_type: str | None,
    output_format: str,
) -> None:
    """Show every event of every story in store order: who did what, when, and why.

    \b
    Example:
      newsroom log --story syria-talks --since 2013-05-10T09:00:00Z
      newsroom log --editor "Ann Editor" --type UpdateRetracted --format jsonl
    """
    from infrastructure.audit.log import EVENT_TYPES, LogFilter, read_log

    if event_type is not None and event_type not in EVENT_TYPES:
        raise BadUsage(f"unknown event type {event_type!r}: use one of {', '.join(EVENT_TYPES)}")
    entries = read_log(session.reader, LogFilter(slug, editor, since, until, event_type))
    if output_format == "json":
        echo_json([_entry_to_dict(e) for e in entries])
        return
    printed = 0
    for entry in entries:
        if output_format == "jsonl":
            click.echo(json.dumps(_entry_to_dict(entry), ensure_ascii=False))
        else:
            click.echo(_entry_line(entry))
        printed += 1
    if printed == 0 and output_format == "text":
        click.echo("no events match")


def _entry_to_dict(entry: LogEntry) -> dict[str, Any]:
    signed = {} if entry.signed_by is None else {"signed_by": entry.signed_by}
    return {
        "position": entry.position,
        "at": iso(entry.at),
        "story": entry.story,
        "version": entry.version,
        "editor": entry.editor,
        "type": entry.event_type,
        "what": entry.what,
        "reason": entry.reason,
        **signed,
    }


def _entry_line(entry: LogEntry) -> str:
    where = f"{entry.position:>6}  {iso(entry.at)}  {entry.story} v{entry.version}"
    editor = entry.editor if entry.signed_by is None else f"{entry.editor} [{entry.signed_by}]"
    line = f"{where}  {editor}: {entry.what}"
    return f"{line} (reason: {entry.reason})" if entry.reason else line


@click.command("editors")
@format_option()
@pass_session
def editors(session: Session, output_format: str) -> None:
    """List every editor who has written, with counts per event type.

    \b
    Example:
      newsroom editors --format json
    """
    from infrastructure.audit.log import editor_activity

    activity = editor_activity(session.reader)
    if output_format == "json":
        echo_json([_activity_to_dict(a) for a in activity])
        return
    if not activity:
        click.echo("no events yet")
    for a in activity:
        click.echo(_activity_lines(a))


def _activity_to_dict(activity: EditorActivity) -> dict[str, Any]:
    keys = {"keys": list(activity.keys)} if activity.keys else {}
    return {
        "editor": activity.editor,
        "events": activity.events,
        "stories": activity.stories,
        "first_at": iso(activity.first_at),
        "last_at": iso(activity.last_at),
        "by_type": activity.by_type,
        **keys,
    }


def _activity_lines(activity: EditorActivity) -> str:
    events = f"{activity.events} {'event' if activity.events == 1 else 'events'}"
    stories = f"{activity.stories} {'story' if activity.stories == 1 else 'stories'}"
    counts = ", ".join(f"{kind} {count}" for kind, count in activity.by_type.items())
    keys = "".join(f"\n    signed with key {key}" for key in activity.keys)
    return (
        f"{activity.editor}: {events} in {stories}, "
        f"{iso(activity.first_at)} to {iso(activity.last_at)}\n    {counts}{keys}"
    )
