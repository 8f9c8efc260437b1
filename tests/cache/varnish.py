"""The real Varnish (Debian's `varnishd`) as a child process on a free loopback port, with the
shipped VCL (`deploy/varnish/newsroom.vcl`) in front of real `serve` processes: no root service,
its working directory in a temporary one, stopped within a bound."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).parents[2]
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
START_WAIT = 30.0
STOP_WAIT = 15.0


def require_varnish() -> None:
    """Skips (or, under NEWSROOM_REQUIRE_VARNISH=1, fails) where varnishd is not installed."""
    import os

    if Path(VARNISHD).exists():
        return
    if os.environ.get("NEWSROOM_REQUIRE_VARNISH") == "1":
        pytest.fail("varnishd is not installed (apt-get install varnish)")
    pytest.skip("varnishd is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def backend_vcl(origins: list[int]) -> str:
    """`newsroom-backend.vcl` for serve processes on these ports (several: round robin)."""
    backends = "".join(
        f'backend origin{i} {{ .host = "127.0.0.1"; .port = "{port}"; .between_bytes_timeout = 60s; }}\n'
        for i, port in enumerate(origins)
    )
    if len(origins) == 1:
        return backends
    added = "".join(f"    pool.add_backend(origin{i});\n" for i in range(len(origins)))
    return (
        "import directors;\n"
        + backends
        + f"sub vcl_init {{\n    new pool = directors.round_robin();\n{added}}}\n"
        + "sub vcl_recv {\n    set req.backend_hint = pool.backend();\n}\n"
    )


class Varnish:
    """One varnishd, which can be stopped and started again on the same port (its cache lost)."""

    def __init__(self, workdir: Path, port: int, origins: list[int]) -> None:
        self.workdir = workdir
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        (workdir / "vcl").mkdir(parents=True, exist_ok=True)
        (workdir / "vcl" / "newsroom-backend.vcl").write_text(backend_vcl(origins))

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                VARNISHD,
                "-F",
                "-n",
                str(self.workdir / "state"),
                # No jail: the compiler must read the generated backend in a private test folder.
                "-j",
                "none",
                "-a",
                f"127.0.0.1:{self.port}",
                "-T",
                "127.0.0.1:0",
                "-f",
                str(VCL),
                "-p",
                f"vcl_path={self.workdir / 'vcl'}",
                "-s",
                "malloc,64m",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"varnishd stopped: {self.process.stderr.read().decode() if self.process.stderr else ''}"
                )
            try:
                httpx.get(f"{self.base}/healthz", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("varnishd did not start listening")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_WAIT)
        self.process = None

    def backend_requests(self) -> int:
        """How many requests Varnish sent to the origins so far (varnishstat's MAIN.backend_req)."""
        shown = subprocess.run(
            ["varnishstat", "-n", str(self.workdir / "state"), "-1", "-f", "MAIN.backend_req"],
            capture_output=True, text=True, check=True, timeout=STOP_WAIT,
        )  # fmt: skip
        return int(shown.stdout.split()[1])


@contextmanager
def varnish(workdir: Path, origins: list[int], *, port: int | None = None) -> Iterator[Varnish]:
    """A running Varnish in front of `origins` (ports of serve processes), stopped after."""
    require_varnish()
    cache = Varnish(workdir, port or free_port(), origins)
    cache.start()
    try:
        yield cache
    finally:
        cache.stop()
