"""The audit benchmark still runs: tiny sizes, every row produced. Timings are never asserted."""

from __future__ import annotations

import pytest

from benchmarks import audit_bench
from benchmarks.stores import available_backends


def test_a_tiny_run_prints_every_audit_rate(capsys: pytest.CaptureFixture[str]) -> None:
    exit_code = audit_bench.main(["--events", "300", "--runs", "1"])

    printed = capsys.readouterr().out
    assert exit_code == 0
    for figure in (
        audit_bench.VERIFY,
        audit_bench.VERIFY_TRANSCODER,
        audit_bench.EXPORT,
        audit_bench.VERIFY_EXPORT,
        audit_bench.LOG,
    ):
        for store in available_backends():
            assert f"{figure} on {store}: " in printed, (figure, store)
