"""The signatures, written so that OpenSSH alone checks them: for each signed event a message (its
hash) and an armoured signature, an `allowed_signers` file of every key the roster registered,
and an index naming each event's author, so that an outside auditor runs

    ssh-keygen -Y verify -f allowed_signers -I NAME -n NAMESPACE -s FILE.sig < FILE.msg

The export's `allowed_signers` is the store's own account of its keys: an auditor compares it with
the one they keep (the first admin's fingerprint, printed when the roster started).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from shlex import quote

from domain.application import Newsroom
from domain.authorship import ROSTER
from domain.chain import HASH_FIELD, SIGNATURE_FIELD
from domain.errors import NewsroomError
from domain.staff import Roster
from domain.story import Story
from infrastructure.audit.authorship import authored_events
from infrastructure.audit.errors import AuditFileUnwritable
from infrastructure.sshsig import BadSignature, Signature, armoured

INDEX = "signatures.tsv"
ALLOWED_SIGNERS = "allowed_signers"


class NothingSigned(NewsroomError):
    """The store signs nothing: it has no keys on its roster."""

    def __init__(self) -> None:
        super().__init__("the store signs nothing (no keys on its roster): there are no signatures to export")


@dataclass(frozen=True)
class SignatureExport:
    """What was written: how many signatures, under which namespace."""

    signatures: int
    namespace: str
    example: str
    """The command that checks the first of them (empty if there is none)."""


def principal(name: str) -> str:
    """`name` as an allowed_signers principal (quoted: names have spaces; no pattern characters)."""
    plain = "".join(c if c.isprintable() and c not in '"*?,!' else "_" for c in name)
    return f'"{plain}"'


def write_signatures(app: Newsroom, folder: Path) -> SignatureExport:
    """Writes every signed story and roster event's message and signature into the new `folder`."""
    signatures = app.get_signatures()
    if signatures is None:
        raise NothingSigned()
    try:
        folder.mkdir(parents=False, exist_ok=False)
    except FileExistsError:
        raise AuditFileUnwritable(folder, "it already exists; choose another --signatures") from None
    except OSError as error:
        raise AuditFileUnwritable(folder, error.strerror or str(error)) from None
    namespace = signatures.namespace
    index = ["file\twhere\tversion\tauthor\tkey"]
    example = ""
    slugs: dict[object, str] = {}
    for event in authored_events(app):
        if isinstance(event, Story.Opened):
            slugs[event.originator_id] = event.slug
        state = vars(event)
        if SIGNATURE_FIELD not in state:
            continue
        where = (
            ROSTER
            if isinstance(event, Roster.Event)
            else slugs.get(event.originator_id, str(event.originator_id))
        )
        base = f"{where.replace(' ', '-')}.v{event.originator_version}"
        blob = base64.b64decode(state[SIGNATURE_FIELD])
        try:
            fingerprint = Signature.parse(blob).key.fingerprint
        except BadSignature:
            fingerprint = "(not a signature)"
        (folder / f"{base}.msg").write_bytes(str(state[HASH_FIELD]).encode("ascii"))
        (folder / f"{base}.sig").write_text(armoured(blob), encoding="ascii")
        index.append(f"{base}\t{where}\t{event.originator_version}\t{event.editor}\t{fingerprint}")
        if not example:
            example = (
                f"ssh-keygen -Y verify -f {quote(str(folder / ALLOWED_SIGNERS))} -I {quote(event.editor)} "
                f"-n {namespace} -s {quote(str(folder / base))}.sig < {quote(str(folder / base))}.msg"
            )
    allowed = [f'{principal(k.member)} namespaces="{namespace}" {k.public_key}' for k in app.get_staff_keys()]
    (folder / ALLOWED_SIGNERS).write_text("\n".join(allowed) + "\n", encoding="utf-8")
    (folder / INDEX).write_text("\n".join(index) + "\n", encoding="utf-8")
    (folder / "namespace").write_text(namespace + "\n", encoding="ascii")
    return SignatureExport(len(index) - 1, namespace, example)
