"""Stream readers for the web benchmarks: asyncio clients in a thread of this process, each on a
server's event stream, noting when each version reached it; and the push delays they saw."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

import httpx


@dataclass
class Receipts:
    """When each reader received each version (perf_counter seconds), and the stream's failures."""

    times: dict[int, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    connected: int = 0


async def _read_stream(client: httpx.AsyncClient, url: str, receipts: Receipts, stop: asyncio.Event) -> None:
    try:
        async with client.stream("GET", url) as response:
            receipts.connected += 1
            version = None
            async for line in response.aiter_lines():
                if line.startswith("id:"):
                    version = int(line[3:].strip())
                elif line == "" and version is not None:
                    receipts.times.setdefault(version, []).append(time.perf_counter())
                    version = None
                if stop.is_set():
                    return
    except httpx.HTTPError as error:
        if not stop.is_set():
            receipts.failures.append(repr(error))


class InTheirOwnLoop:
    """Simulated clients that run (`_run`) in their own event loop in a thread, from entering the
    `with` until leaving it, when `_stop` is set and they are waited for."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def _start(self) -> None:
        self._thread.start()
        self._future = asyncio.run_coroutine_threadsafe(self._run(), self._loop)

    async def _run(self) -> None:
        raise NotImplementedError

    def __exit__(self, *_exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._future.result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


class Readers(InTheirOwnLoop):
    """`count` stream readers on `url`, in their own event loop in a thread."""

    def __init__(self, url: str, count: int) -> None:
        super().__init__()
        self.url, self.count = url, count
        self.receipts = Receipts()

    def __enter__(self) -> Readers:
        self._start()
        deadline = time.monotonic() + 60
        while self.receipts.connected < self.count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # every stream past its first bytes
        return self

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.count + 10, max_keepalive_connections=0)
        timeout = httpx.Timeout(60.0, connect=30.0)
        async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
            readers = [
                asyncio.create_task(_read_stream(client, self.url, self.receipts, self._stop))
                for _ in range(self.count)
            ]
            await self._stop.wait()
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)


@dataclass(frozen=True)
class Push:
    """Delays (seconds) from each message's moment to each receipt, and the share delivered."""

    delays: list[float]
    expected: int
    payloads: list[str] = field(default_factory=list)

    @property
    def delivered(self) -> float:
        return len(self.delays) / self.expected if self.expected else 0.0

    def percentile(self, share: float) -> float:
        if not self.delays:
            return float("nan")
        ordered = sorted(self.delays)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def delays(receipts: Receipts, sent: dict[int, float]) -> list[float]:
    return [t - sent[v] for v, times in receipts.times.items() if v in sent for t in times]


def settle(receipts: Receipts, readers: int, sent: dict[int, float], wait: float = 5.0) -> None:
    """Waits (bounded) until every reader has every message."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if all(len(receipts.times.get(v, [])) >= readers for v in sent):
            return
        time.sleep(0.05)
