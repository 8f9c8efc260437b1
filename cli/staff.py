"""`newsroom staff ...`: who works in the newsroom and under which roles."""

from __future__ import annotations

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session
from domain.roles import ROLES
from infrastructure.rendering.times import iso

ROLE = click.Choice(sorted(ROLES))


@click.group()
def staff() -> None:
    """Add staff with their SSH keys, grant and revoke their roles and keys, and list them.

    Roles: contributor (submits), editor (opens, posts, publishes...), legal (retracts),
    admin (manages the staff). Until a store has an admin anyone may do anything; the first
    member added must be an admin, and from then on only staff may write.

    \b
    Example:
      newsroom --as ann staff add ann --role admin --key ~/.ssh/id_ed25519.pub
      newsroom --as ann staff add bob --role editor --role legal --key bob.pub
    """


PUBFILE = click.Path(dir_okay=False)


@staff.command("add")
@click.argument("name")
@click.option("--role", "roles", type=ROLE, multiple=True, required=True, help="A role (repeat for more).")
@click.option(
    "--key", "key_files", type=PUBFILE, multiple=True, metavar="PUBFILE",
    help="Their Ed25519 SSH public key file, as ~/.ssh/id_ed25519.pub (repeat for more).",
)  # fmt: skip
@pass_session
def add(session: Session, name: str, roles: tuple[str, ...], key_files: tuple[str, ...]) -> None:
    """Add someone to the staff with one or more roles and their SSH public keys. When this
    starts the roster, the first admin's key fingerprints are printed: keep them outside the
    database, as the root of trust an auditor checks signatures against."""
    from infrastructure.signing_keys import read_public_key

    keys = [read_public_key(path) for path in key_files]
    starts = not session.app.get_staff()
    session.app.add_staff(name, roles, editor=session.editor, keys=keys)
    click.echo(f"{name} added to the staff as {', '.join(roles)}")
    for key in keys:
        click.echo(f"{name}'s key {key.fingerprint}")
    if starts and keys:
        click.echo("the roster starts here: keep these fingerprints outside the database (its root of trust)")


@staff.group("key")
def key_group() -> None:
    """Register and revoke a member's SSH public keys (rotation, a lost key).

    \b
    Example:
      newsroom --as ann staff key add bob ~/bob_laptop.pub
      newsroom --as ann staff key revoke bob ~/bob_old.pub
    """


@key_group.command("add")
@click.argument("name")
@click.argument("key_file", metavar="PUBFILE", type=PUBFILE)
@pass_session
def add_key(session: Session, name: str, key_file: str) -> None:
    """Register one more public key of a member's, valid from now until it is revoked."""
    from infrastructure.signing_keys import read_public_key

    key = read_public_key(key_file)
    session.app.add_staff_key(name, key, editor=session.editor)
    click.echo(f"{name}'s key {key.fingerprint} registered")


@key_group.command("revoke")
@click.argument("name")
@click.argument("key_file", metavar="PUBFILE", type=PUBFILE)
@pass_session
def revoke_key(session: Session, name: str, key_file: str) -> None:
    """Revoke one of a member's keys: from now on it signs nothing (what it signed before stands)."""
    from infrastructure.signing_keys import read_public_key

    key = read_public_key(key_file)
    session.app.revoke_staff_key(name, key, editor=session.editor)
    click.echo(f"{name}'s key {key.fingerprint} revoked")


@staff.command("grant")
@click.argument("name")
@click.argument("role", type=ROLE)
@pass_session
def grant(session: Session, name: str, role: str) -> None:
    """Give a member of staff another role."""
    session.app.grant_role(name, role, editor=session.editor)
    click.echo(f"{name} granted {role}")


@staff.command("revoke")
@click.argument("name")
@click.argument("role", type=ROLE)
@pass_session
def revoke(session: Session, name: str, role: str) -> None:
    """Take a role from a member of staff."""
    session.app.revoke_role(name, role, editor=session.editor)
    click.echo(f"{name} no longer {role}")


@staff.command("remove")
@click.argument("name")
@pass_session
def remove(session: Session, name: str) -> None:
    """Remove someone from the staff: they can no longer write."""
    session.app.remove_staff(name, editor=session.editor)
    click.echo(f"{name} removed from the staff")


@staff.command("erase")
@click.argument("name")
@click.option("--request", required=True, metavar="REF", help="The erasure request's reference (recorded).")
@pass_session
def erase(session: Session, name: str, request: str) -> None:
    """Erase a person's name: their key is destroyed, and everywhere the name was recorded
    (events, page, history, log, exports, staff) it reads "[erased]". The record keeps that
    someone was erased, when, by whom and under which request, never whom.

    Once the store has an admin, only an admin may. Bylines are an update's words, not a
    person's name: take the update down to remove one.

    \b
    Example:
      newsroom --as ann staff erase "Quentin Zebrowski" --request "DSAR-2026-014"
    """
    from infrastructure.erasure import erase_person

    done = erase_person(session.services, name, request=request, editor=session.editor)
    if done.recorded:
        click.echo(f"erased under request {request}: the name reads [erased] everywhere")
    else:
        click.echo(f"already erased under request {request}; the erasure is complete")


@staff.command("list")
@format_option()
@pass_session
def list_staff(session: Session, output_format: str) -> None:
    """List the staff, by name, with their roles and who added them when."""
    members = session.app.get_staff()
    if output_format == "json":
        echo_json(
            [
                {
                    "name": m.name,
                    "roles": list(m.roles),
                    "added_at": iso(m.added_at),
                    "added_by": m.added_by,
                    "keys": list(m.keys),
                }
                for m in members
            ]
        )
        return
    if not members:
        click.echo(
            "no staff: until an admin is added anyone may do anything "
            "(`newsroom --as NAME staff add NAME --role admin`)"
        )
        return
    width = max(len(m.name) for m in members)
    for m in members:
        click.echo(f"{m.name:<{width}}  {', '.join(m.roles):<27}  added {iso(m.added_at)} by {m.added_by}")
        for fingerprint in m.keys:
            click.echo(f"{'':<{width}}  key {fingerprint}")


@staff.command("history")
@format_option()
@pass_session
def history(session: Session, output_format: str) -> None:
    """Every change to the staff, oldest first: when, who made it (and as what), what changed."""
    changes = session.app.get_staff_history()
    if output_format == "json":
        echo_json(
            [
                {
                    "version": c.originator_version,
                    "at": iso(c.timestamp),
                    "editor": c.editor,
                    "role": c.role,
                    "type": type(c).__name__,
                    "name": c.member,
                    "what": c.summary,
                }
                for c in changes
            ]
        )
        return
    for c in changes:
        by = c.editor if c.role is None else f"{c.editor} ({c.role})"
        click.echo(f"{c.originator_version:>4}  {iso(c.timestamp)}  {by}: {c.summary}")
