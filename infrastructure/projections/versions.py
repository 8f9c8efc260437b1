"""Each projection's name and the version of the code that builds its tables (another version
rebuilds them): here apart from the projections, so that a read can tell whether the stored read
models are current without loading the code that applies events."""

from __future__ import annotations

LIVE_PAGE = "live-page"
HISTORY = "history"
PROJECTION_VERSIONS = {LIVE_PAGE: 7, HISTORY: 4}
"""Live-page version 7 indexes only the key events' rows (a partial index), not every row;
version 6 marks each update row a key event or not (the key events list and a page
of a long story read only their rows); version 5 kept the story's time zone and coverage times in
its header; version 4 stored each header as one JSON text (`page_json.header_json`), not a
column a field. History version 4 keeps story, version, event type and update number per event
(version 3 also kept its stored state, time, editor and reason: the history now reads those
from the event)."""
