"""A story's live stream (`/stories/{slug}/live`): server-sent events, one per change readers
see, from the version the reader has (`Last-Event-ID` or `after`) and then as the broadcaster
pushes them; a slot per open stream, given back however it ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import anyio
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from infrastructure.web.broadcaster import Batch, Broadcaster
from infrastructure.web.errors import busy, int_param, query
from infrastructure.web.limits import StreamSlots
from infrastructure.web.reading import StoryCard
from infrastructure.web.site import MAX_LIMIT, BadCursor, Site

CATCH_UP_SECONDS = 10.0
"""How long a reader back from a server further on waits for this one to show what it has seen
(a bound: this server follows the same store, so it is usually there within milliseconds)."""
SHUTDOWN_GRACE_SECONDS = 1.0
"""How long a stream has to end by itself once the server is stopping, before it is cut."""


class StreamRoute:
    """`/stories/{slug}/live`."""

    def __init__(self, site: Site, broadcaster: Broadcaster, streams: StreamSlots, heartbeat: float) -> None:
        self.site = site
        self.broadcaster = broadcaster
        self.streams = streams
        self.heartbeat = heartbeat

    async def _caught_up_to(self, slug: str, after: int, card: StoryCard) -> StoryCard:
        """The story's card once this server shows version `after`: a reader reconnecting from
        another server that follows the same store may have seen versions this one has not shown
        yet. If the store holds them, wait (within `CATCH_UP_SECONDS`) for this server to catch up;
        if not, `after` is in the story's future, and the card is returned as it is."""
        stored = await run_in_threadpool(self.site.reading.stored_version, slug)
        if after > stored:
            return card
        self.broadcaster.nudge()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CATCH_UP_SECONDS
        while card.version < after and loop.time() < deadline:
            await asyncio.sleep(0.05)
            card = self.site.visible(slug)
        return card

    async def live(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        self.site.visible(slug)
        params = query(request, "after")
        header = request.headers.get("last-event-id")
        named = "Last-Event-ID" if header else "after"
        after = int_param(header or params.get("after"), named, default=None)
        # Subscribe, then read the version: both on the loop, so nothing falls between them.
        queue = self.broadcaster.subscribe(slug)
        card = self.site.visible(slug)
        if after is None:
            after = card.version
        if after > card.version:
            card = await self._caught_up_to(slug, after, card)
        if not 0 <= after <= card.version:
            self.broadcaster.unsubscribe(slug, queue)
            raise BadCursor(f"{named} must be a version of {slug!r} from 0 to {card.version}; got {after}")
        if card.status == "closed" and after >= card.version:
            self.broadcaster.unsubscribe(slug, queue)
            return Response(status_code=204)  # the stream has ended: EventSource stops reconnecting
        if not self.streams.take():
            self.broadcaster.unsubscribe(slug, queue)
            return busy(request)

        shutdown = anyio.Event()  # set by sse-starlette when the server is asked to stop

        async def events() -> AsyncIterator[ServerSentEvent]:
            try:
                sent = after
                while sent < card.version:
                    answer = await run_in_threadpool(
                        self.site.changes, slug, sent, MAX_LIMIT, through=card.version, card=card
                    )
                    for change in answer.changes:
                        yield _event(change)
                        if change.kind == "closed" and change.version == card.version:
                            return
                    sent = answer.version
                while True:
                    batch = await _next_batch(queue, shutdown)
                    if batch is None:
                        return
                    for change in batch:
                        if change.version <= sent:
                            continue
                        sent = change.version
                        yield _event(change)
                        if change.kind == "closed":
                            return
            finally:
                self.broadcaster.unsubscribe(slug, queue)

        return _CountedStream(
            self.streams,
            events(),
            ping=self.heartbeat,
            headers={"X-Accel-Buffering": "no"},  # never stored: not marked (`cache_policy`)
            shutdown_event=shutdown,
            shutdown_grace_period=SHUTDOWN_GRACE_SECONDS,
        )


class _CountedStream(EventSourceResponse):
    """An event stream that gives its slot back however it ends (even if it never started)."""

    def __init__(self, streams: StreamSlots, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.streams = streams

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.streams.give_back()


async def _next_batch(queue: asyncio.Queue[Batch], shutdown: anyio.Event) -> Batch:
    """The next batch of changes, or None once the server is stopping (the stream then ends)."""
    getter = asyncio.ensure_future(queue.get())
    stopper = asyncio.ensure_future(shutdown.wait())
    try:
        await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        # Also when the stream itself is cancelled (the reader left, the server stops): a task
        # left pending is destroyed later with a warning in the log.
        for task in (getter, stopper):
            task.cancel()
        await asyncio.gather(getter, stopper, return_exceptions=True)
    return getter.result() if not getter.cancelled() else None


def _event(change: Any) -> ServerSentEvent:
    return ServerSentEvent(data=change.json_text(), id=str(change.version), event=change.kind, retry=1000)
