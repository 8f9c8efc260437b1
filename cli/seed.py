"""`newsroom seed`: load the seed stories through the application's own commands."""

from __future__ import annotations

from pathlib import Path

import click

from cli.session import Session, pass_session


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@pass_session
def seed(session: Session, path: Path | None) -> None:
    """Load seed stories (a .toml file, or a folder of them; by default the project's seeds/).

    Running it twice appends nothing.

    \b
    Example:
      newsroom seed && newsroom page disputes-over-syria-summit-plan
    """
    from infrastructure.seed_loader import DEFAULT_SEEDS, load_seed, read_seed, seed_files

    # Every file is read and checked whole before the store is opened: a bad one appends nothing.
    seeds = [read_seed(file) for file in seed_files(path or DEFAULT_SEEDS)]
    for story in seeds:
        result = load_seed(session.app, story)
        if not (result.opened or result.updates_posted or result.published):
            click.echo(f"{result.slug}: already seeded, nothing appended")
            continue
        done = ["opened"] if result.opened else []
        done += ["published"] if result.published else []  # before its updates: coverage starts first
        posted = result.updates_posted
        done.append(f"{posted} update{'' if posted == 1 else 's'} posted")
        click.echo(f"{result.slug}: {', '.join(done)}")
