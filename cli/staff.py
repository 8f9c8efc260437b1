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
    """Add staff, grant and revoke their roles, and list them.

    Roles: contributor (submits), editor (opens, posts, publishes...), legal (retracts),
    admin (manages the staff). Until a store has an admin anyone may do anything; the first
    member added must be an admin, and from then on only staff may write.

    \b
    Example:
      newsroom --as ann staff add ann --role admin
      newsroom --as ann staff add bob --role editor --role legal
    """


@staff.command("add")
@click.argument("name")
@click.option("--role", "roles", type=ROLE, multiple=True, required=True, help="A role (repeat for more).")
@pass_session
def add(session: Session, name: str, roles: tuple[str, ...]) -> None:
    """Add someone to the staff with one or more roles."""
    session.app.add_staff(name, roles, editor=session.editor)
    click.echo(f"{name} added to the staff as {', '.join(roles)}")


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
                {"name": m.name, "roles": list(m.roles), "added_at": iso(m.added_at), "added_by": m.added_by}
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
