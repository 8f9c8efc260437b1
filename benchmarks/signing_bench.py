"""What signing costs: a signed write beside the same write on a staffed store that does not sign,
one signature through a real ssh-agent beside one from a key file, and `audit verify` of a store
whose every event is signed beside the same store unsigned.

    python -m benchmarks.signing_bench [--events N] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks import report
from benchmarks.rows import Findings, Row, at_least, at_most
from benchmarks.stores import POSTGRES, SQLITE, available_backends, fresh_store
from benchmarks.stories import BODY, EDITOR, START, TITLE, body_blocks, snapshot_interval
from benchmarks.timing import interleaved, median_time
from domain.application import Newsroom
from domain.signing import PublicKey, SigningAs, sign_as
from infrastructure.audit.authorship import verify_authorship
from infrastructure.audit.verify import verify_store
from infrastructure.bootstrap import bootstrap
from infrastructure.signers import AgentSigner, KeyFileSigner

SIGNED_WRITE = "a signed write command in process (Ed25519 key file)"
AGENT = "one signature through a real ssh-agent"
SIGNED_VERIFY = "audit verify of a store whose every event is signed"
MESSAGE = b"0f" * 32


def _key_file(folder: Path, name: str) -> tuple[KeyFileSigner, PublicKey]:
    """A new unencrypted OpenSSH Ed25519 key, made with `cryptography`."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    path = folder / name
    private = Ed25519PrivateKey.generate()
    path.write_bytes(private.private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, NoEncryption()))
    path.chmod(0o600)
    signer = KeyFileSigner(str(path))
    return signer, signer.public_keys()[0]


class _OneSigner:
    """`SignerSources` with one key file for every member."""

    def __init__(self, signer: KeyFileSigner) -> None:
        self.signer = signer

    def member(self) -> KeyFileSigner:
        return self.signer

    def system(self) -> KeyFileSigner:
        return self.signer


def signed_write(backend: str, runs: int) -> Row:
    """`post_update` by an editor on a store that signs, beside the same on a staffed store without keys."""
    with fresh_store(backend) as signed_store, fresh_store(backend) as plain_store:
        signed, plain = bootstrap(signed_store.url).app, bootstrap(plain_store.url).app
        try:
            signer, key = _key_file(Path(signed_store.folder), "editor")
            signed.signers = _OneSigner(signer)
            signed.add_staff("root", ["admin"], editor="root", keys=[])
            signed.add_staff(EDITOR, ["editor", "admin"], editor="root")
            signed.add_staff_key(EDITOR, key, editor=EDITOR)  # begins signing, signed by its maker
            plain.add_staff("root", ["admin"], editor="root")
            plain.add_staff(EDITOR, ["editor", "admin"], editor="root")
            for app in (signed, plain):
                app.open_story("bench", "A live blog", editor=EDITOR)
            paired = interleaved(
                lambda: signed.post_update("bench", TITLE, BODY, editor=EDITOR),
                lambda: plain.post_update("bench", TITLE, BODY, editor=EDITOR),
                runs,
                warmup=3,
            )
        finally:
            signed.close()
            plain.close()
    return Row(
        SIGNED_WRITE, backend, paired.subject, "s", paired.baseline,
        "the same command on a staffed store without keys", at_most(1.15),
        f"median of {runs} interleaved; the signature is of the event's hash (SSHSIG, sha512)",
    )  # fmt: skip


def agent_signature(runs: int) -> Row | None:
    """One SSHSIG signature through a real ssh-agent (one round trip), beside one from a key file."""
    if shutil.which("ssh-agent") is None or shutil.which("ssh-add") is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="newsroom-agent-"))
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(folder / "agent.sock")], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (folder / "agent.sock").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        file_signer, key = _key_file(folder, "key")
        env = {**os.environ, "SSH_AUTH_SOCK": str(folder / "agent.sock")}
        subprocess.run(["ssh-add", "-q", str(folder / "key")], env=env, check=True, timeout=60)
        by_agent = AgentSigner(str(folder / "agent.sock"))
        agent_time = median_time(lambda: by_agent.sign(key, MESSAGE, "newsroom:bench"), runs, warmup=3)
        file_time = median_time(lambda: file_signer.sign(key, MESSAGE, "newsroom:bench"), runs, warmup=3)
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
    return Row(
        AGENT, "-", agent_time, "s", file_time, "the same signature from a key file in process", None,
        f"median of {runs}; one request and its answer on the agent's socket",
    )  # fmt: skip


def signed_verify(backend: str, events: int, runs: int) -> Row:
    """`audit verify` (the chains, then who made each change) of a store whose every event is
    signed, in events per second, beside the chains alone of the same events on an unsigned store."""
    with fresh_store(backend) as signed_store, fresh_store(backend) as plain_store:
        signed_services, plain_services = bootstrap(signed_store.url), bootstrap(plain_store.url)
        signed, plain = signed_services.app, plain_services.app
        try:
            signer, key = _key_file(Path(signed_store.folder), "editor")
            signed.signers = _OneSigner(signer)
            signed.add_staff(EDITOR, ["admin", "editor"], editor=EDITOR, keys=[key])
            signatures = signed.get_signatures()
            assert signatures is not None
            sign_as(SigningAs(signer, key, signatures.namespace))
            _grow(signed, "bench", events)
            sign_as(None)
            _grow(plain, "bench", events)
            found = verify_authorship(signed)
            assert found.proven and found.signed >= events, found.problems[:3]
            paired = interleaved(
                lambda: (verify_store(signed, keys=signed_services.keys), verify_authorship(signed)),
                lambda: verify_store(plain, keys=plain_services.keys),
                runs,
            )
        finally:
            signed_services.close()
            plain_services.close()
    return Row(
        SIGNED_VERIFY, backend, events / paired.subject, "/s", events / paired.baseline,
        "audit verify of the same events unsigned", at_least(0.5),
        f"{events:,} events; every signature checked (Ed25519), every key and role held to the roster; "
        f"median of {runs}",
    )  # fmt: skip


def _grow(app: Newsroom, slug: str, events: int) -> None:
    """`events` events on `slug`, posted as the bench's editor, saved in snapshot-sized batches."""
    app.open_story(slug, "A long-running live blog", editor=EDITOR)
    story = app.get_story(slug)
    blocks, interval = body_blocks(), snapshot_interval(app)
    at, digests = START + timedelta(seconds=story.version), []
    while story.version < events:
        digests.append(story.post_update(TITLE, blocks, editor=EDITOR, at=at, role="editor"))
        at += timedelta(seconds=1)
        if story.version % interval == 0 or story.version == events:
            app.save(story, *digests)
            digests.clear()


def signing_costs(backend: str, events: int, runs: int, write_runs: int) -> Findings:
    rows = [signed_write(backend, write_runs), signed_verify(backend, events, runs)]
    if backend == SQLITE:
        agent = agent_signature(write_runs)
        rows += [agent] if agent is not None else []
    return Findings(rows=rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.signing_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--events", type=int, default=20_000, help="signed events audited (default 20,000)")
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs of each audit")
    parser.add_argument("--write-runs", type=int, default=200, help="interleaved runs of each write")
    parser.add_argument(
        "--stores", nargs="+", choices=[SQLITE, POSTGRES], help="default: every one available"
    )
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for backend in [s for s in available_backends() if not args.stores or s in args.stores]:
        print(f"· signing on {backend} ...", file=sys.stderr, flush=True)
        rows += signing_costs(backend, args.events, args.runs, args.write_runs).rows
    print(report.table(rows))
    for row in rows:
        target = f" (target {row.target.describe()}: {'met' if row.met else 'NOT met'})" if row.target else ""
        print(f"{row.figure} on {row.store}: {row.ratio:.2f}x{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
