"""`newsroom audit ...`: verify the hash chains, seal the heads, export the record, replay stories."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli.formats import echo_json, format_option
from cli.session import Session, pass_session
from infrastructure.rendering.times import iso

if TYPE_CHECKING:
    from infrastructure.audit.authorship import Authorship
    from infrastructure.audit.replay import Replay
    from infrastructure.audit.verify import Verification

FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def audit() -> None:
    """Prove that nobody rewrote the record: verify, seal, export and replay.

    \b
    Example:
      newsroom audit verify
      newsroom audit seal --out seal-2013-05-10.json
      newsroom audit verify --seal seal-2013-05-10.json
      newsroom audit export --out record.jsonl && newsroom audit verify --export record.jsonl
    """


@audit.command("verify")
@click.argument("slug", required=False)
@click.option("--seal", "seal_file", type=FILE, help="A seal to hold the record to (catches truncation).")
@click.option("--export", "export_file", type=FILE, help="Check this export file instead of the database.")
@click.option(
    "--trust", "trust_file", type=FILE,
    help="An OpenSSH allowed_signers file (or the first admin's public key) kept outside the database: "
    "the roster's first signature must be by one of its keys.",
)  # fmt: skip
@format_option()
@click.pass_context
def verify(
    ctx: click.Context,
    slug: str | None,
    seal_file: Path | None,
    export_file: Path | None,
    trust_file: Path | None,
    output_format: str,
) -> None:
    """Re-read every event and check every story's hash chain, and on a store that signs, who made
    each change: every story and roster event's signature, against the roster as it stood then
    (exit 1 on any break or unproven event).

    \b
    Example:
      newsroom audit verify
      newsroom audit verify syria-talks --seal seal.json
      newsroom audit verify --export record.jsonl --seal seal.json
    """
    from infrastructure.audit.seal import read_seal
    from infrastructure.audit.verify import verify_chains, verify_store

    seal = read_seal(seal_file) if seal_file is not None else None
    authorship = None
    if export_file is not None:
        from infrastructure.audit.export import read_export

        result = verify_chains(read_export(export_file), slug=slug, seal=seal)
    else:
        from infrastructure.audit.authorship import read_trust, verify_authorship

        trust = read_trust(trust_file) if trust_file is not None else None
        session: Session = ctx.obj
        result = verify_store(session.reader, slug, seal=seal, keys=session.services.keys)
        if slug is None:
            authorship = verify_authorship(session.reader, trust)
    if output_format == "json":
        echo_json({**_verification_to_dict(result), **_authorship_to_dict(authorship)})
    else:
        _echo_verification(result)
        if authorship is not None:
            _echo_authorship(authorship)
    if not result.intact or result.findings or (authorship is not None and not authorship.proven):
        ctx.exit(1)


def _echo_authorship(found: Authorship) -> None:
    if not found.signing:
        return  # a store that never signed is reported as it always was
    if found.proven:
        click.echo(f"authorship: {_counted(found.signed, 'signed event')}, each proven ({found.namespace})")
    else:
        click.echo(f"UNPROVEN: {_counted(len(found.problems), 'event')} whose author is not proven")
        for p in found.problems:
            click.echo(f"{p.where}  v{p.version}  {p.kind}: {p.detail}")
    if found.trust is not None:
        click.echo(f"root of trust: key {found.root}, held to {found.trust.source}")
    else:
        click.echo(
            f"root of trust: the store's own first admin, key {found.root}; give --trust FILE "
            "(an allowed_signers file or their public key, kept outside the database) to hold it to one"
        )
    if found.before:
        versions = "; ".join(f"{where} {_ranges(vs)}" for where, vs in found.before.items())
        click.echo(f"{_counted(found.before_count, 'event')} before signatures (versions {versions})")


def _ranges(versions: list[int]) -> str:
    """ "v1-v3, v5": versions as runs."""
    runs: list[list[int]] = []
    for v in sorted(versions):
        if runs and v == runs[-1][1] + 1:
            runs[-1][1] = v
        else:
            runs.append([v, v])
    return ", ".join(f"v{a}" if a == b else f"v{a}-v{b}" for a, b in runs)


def _authorship_to_dict(found: Authorship | None) -> dict[str, Any]:
    if found is None or not found.signing:
        return {}
    return {
        "authorship": {
            "signing": found.signing,
            "proven": found.proven,
            "namespace": found.namespace,
            "root": found.root,
            "trust": None if found.trust is None else found.trust.source,
            "signed": found.signed,
            "before_signatures": found.before,
            "problems": [
                {"where": p.where, "version": p.version, "kind": str(p.kind), "detail": p.detail}
                for p in found.problems
            ],
        }
    }


def _echo_verification(result: Verification) -> None:
    _echo_chains(result)
    if result.findings:
        click.echo(
            f"FINDINGS: {_counted(len(result.findings), 'key')} gone with no order or request on record"
        )
    for f in result.findings:
        click.echo(f"{f.slug}  v{f.version}  key missing: {_counted(f.events, 'sealed event')}; {f.detail}")


def _echo_chains(result: Verification) -> None:
    checked = f"{_counted(len(result.stories), 'story', 'stories')}, {_counted(result.events, 'event')}"
    if result.intact:
        click.echo(f"intact: {checked}; every chain verifies")
        if result.seal is not None:
            click.echo(
                f"the seal of {iso(result.seal.sealed_at)} (digest {result.seal.digest}) "
                "holds: every sealed head is still in place"
            )
        for head in result.stories:
            click.echo(f"{head.slug}  v{head.version}  {head.head_hash}")
        return
    broken = len({b.story_id for b in result.breaks})
    click.echo(f"BROKEN: {len(result.breaks)} break(s) in {broken} of {checked} checked")
    for b in result.breaks:
        click.echo(f"{b.slug}  v{b.version}  {b.kind}: {b.detail}")


def _verification_to_dict(result: Verification) -> dict[str, Any]:
    return {
        "intact": result.intact,
        "events": result.events,
        "stories": [
            {"slug": h.slug, "story_id": str(h.story_id), "version": h.version, "head_hash": h.head_hash}
            for h in result.stories
        ],
        "breaks": [
            {
                "slug": b.slug,
                "story_id": str(b.story_id),
                "version": b.version,
                "kind": str(b.kind),
                "detail": b.detail,
            }
            for b in result.breaks
        ],
        "seal": None
        if result.seal is None
        else {"sealed_at": iso(result.seal.sealed_at), "digest": result.seal.digest},
        "findings": [
            {
                "slug": f.slug,
                "story_id": str(f.story_id),
                "version": f.version,
                "events": f.events,
                "key_id": f.key_id,
                "detail": f.detail,
            }
            for f in result.findings
        ],
    }


@audit.command("seal")
@click.option("--out", type=FILE, help="Write the seal to this new file instead of printing it.")
@pass_session
def seal(session: Session, out: Path | None) -> None:
    """Verify every chain, then seal every story's head hash and version (JSON, with one digest).

    Keep the seal outside the database: `audit verify --seal FILE` then catches truncation and rollback.

    \b
    Example:
      newsroom audit seal --out seal-2013-05-10.json
    """
    from infrastructure.audit.files import write_new_file
    from infrastructure.audit.seal import seal_store, seal_to_dict

    sealed = seal_store(session.reader)
    text = json.dumps(seal_to_dict(sealed), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    write_new_file(out, lambda stream: stream.write(text))
    stories = _counted(len(sealed.stories), "story", "stories")
    click.echo(f"sealed {stories} at {iso(sealed.sealed_at)} into {out}; digest {sealed.digest}")


@audit.command("export")
@click.option("--out", type=FILE, help="Write the export to this new file instead of printing it.")
@click.option(
    "--signatures", "signatures_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Write each signed event's hash and signature into this new folder, with an allowed_signers "
    "file, for `ssh-keygen -Y verify`.",
)  # fmt: skip
@pass_session
def export(session: Session, out: Path | None, signatures_dir: Path | None) -> None:
    """Write every story event as a JSON line with its hash, checkable with no database; with
    --signatures, each signature too, checkable with OpenSSH alone.

    \b
    Example:
      newsroom audit export --out record.jsonl
      newsroom audit verify --export record.jsonl
      newsroom audit export --signatures signatures/
    """
    from infrastructure.audit.export import write_export
    from infrastructure.audit.files import write_new_file

    app = session.reader
    if signatures_dir is not None:
        from infrastructure.audit.signature_export import write_signatures

        written = write_signatures(app, signatures_dir)
        click.echo(
            f"wrote {_counted(written.signatures, 'signature')} under {written.namespace} to {signatures_dir}"
        )
        if written.example:
            click.echo(f"check one with: {written.example}")
        if out is None:
            return
    if out is None:
        write_export(app, sys.stdout)
        return
    summary = write_new_file(out, lambda stream: write_export(app, stream))
    events = _counted(summary.events, "event")
    click.echo(f"exported {events} of {_counted(summary.stories, 'story', 'stories')} to {out}")


def _counted(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


@audit.command("replay")
@click.argument("slug", required=False)
@format_option()
@click.pass_context
def replay(ctx: click.Context, slug: str | None, output_format: str) -> None:
    """Rebuild every story from its events alone and compare it with the read models (exit 1 on any
    difference).

    \b
    Example:
      newsroom audit replay
      newsroom audit replay syria-talks --format json
    """
    from infrastructure.audit.replay import replay_stories

    session: Session = ctx.obj
    result = replay_stories(session.reader, session.queries(), slug)
    if output_format == "json":
        echo_json(_replay_to_dict(result))
    else:
        _echo_replay(result)
    if not result.matches:
        ctx.exit(1)


def _echo_replay(result: Replay) -> None:
    replayed = f"{_counted(result.stories, 'story', 'stories')}, {_counted(result.events, 'event')}"
    if result.matches:
        click.echo(f"replayed {replayed}: the read models match")
        return
    stories = len({d.slug for d in result.differences})
    click.echo(f"DIFFERENT: {len(result.differences)} difference(s) in {stories} of {replayed} replayed")
    for d in result.differences:
        values = f"replayed {_shown(d.replayed)}, read model {_shown(d.found)}"
        click.echo(f"{d.slug}  {d.read_model}  {d.where}: {values}")


def _replay_to_dict(result: Replay) -> dict[str, Any]:
    from domain.chain import canonical

    return {
        "matches": result.matches,
        "stories": result.stories,
        "events": result.events,
        "differences": [
            {
                "slug": d.slug,
                "read_model": d.read_model,
                "where": d.where,
                "replayed": canonical(d.replayed),
                "found": canonical(d.found),
            }
            for d in result.differences
        ],
    }


def _shown(value: object) -> str:
    from domain.chain import canonical

    return json.dumps(canonical(value), ensure_ascii=False)
