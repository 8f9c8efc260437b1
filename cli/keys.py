"""`newsroom keys ...`: the key store that seals updates' words."""

from __future__ import annotations

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session


@click.group()
def keys() -> None:
    """Inspect the key store (beside the store, or NEWSROOM_KEYS).

    \b
    Example:
      newsroom keys status
    """


@keys.command("status")
@format_option()
@pass_session
def status(session: Session, output_format: str) -> None:
    """How many keys exist and were destroyed, and whether every sealed event has its key."""
    from infrastructure.key_status import key_status

    found = key_status(session.services)
    if output_format == "json":
        echo_json(
            {
                "keys": found.live,
                "destroyed": found.destroyed,
                "sealed_events": found.sealed_events,
                "person_keys": found.person_keys,
                "erased_people": found.erased_people,
                "matches": found.matches,
                "missing": [{"story": m.slug, "version": m.version, "key": m.key_id} for m in found.missing],
            }
        )
    else:
        counts = f"keys: {found.live} · destroyed: {found.destroyed}"
        click.echo(f"{counts} · sealed events: {found.sealed_events}")
        click.echo(f"person keys: {found.person_keys} · people erased: {found.erased_people}")
        if found.matches:
            click.echo("the key store matches the event store")
        for missing in found.missing:
            click.echo(f"missing key: {missing.slug} v{missing.version} ({missing.key_id}): reads as erased")
    if not found.matches:
        raise SystemExit(1)
