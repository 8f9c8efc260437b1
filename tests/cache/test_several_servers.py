"""Past one process: readers spread over several `serve` processes, each following the store on
its own (no coordination between them). A reader whose stream moves to another process, with
`Last-Event-ID`, misses nothing and gets nothing twice (on SQLite and PostgreSQL)."""

from __future__ import annotations

from contextlib import ExitStack

import httpx

from domain.application import Newsroom
from tests.web.conftest import EDITOR, live_story
from tests.web.live_server import read_events, serve_process, stream

SERVERS = 4


def test_a_stream_moving_across_four_servers_misses_nothing_and_repeats_nothing(
    app: Newsroom, store_url: str
) -> None:
    live_story(app)  # versions 1-4: posts at 2 and 3
    received: list[str] = []
    with ExitStack() as servers, httpx.Client() as client:
        bases = [servers.enter_context(serve_process(store_url))[1] for _ in range(SERVERS)]
        for turn, base in enumerate(bases * 2):
            headers = {"Last-Event-ID": received[-1]} if received else {}
            with stream(client, f"{base}/stories/syria/live?after=0", headers=headers) as response:
                assert response.status_code == 200
                app.post_update("syria", f"Seen live {turn}", "Pushed.", editor=EDITOR)
                # First the two updates posted before, then what was missed between two servers.
                received += [e.id for e in read_events(response, 3 if turn == 0 else 2)]
            # Posted while the reader is between two servers: the next one replays it.
            app.post_update("syria", f"Missed {turn}", "Replayed.", editor=EDITOR)
            if turn == 2 * SERVERS - 1:
                with stream(
                    client, f"{bases[0]}/stories/syria/live", headers={"Last-Event-ID": received[-1]}
                ) as last:
                    received += [e.id for e in read_events(last, 1)]

    expected = [str(version) for version in [2, 3, *range(5, 5 + 2 * 2 * SERVERS)]]
    assert received == expected
