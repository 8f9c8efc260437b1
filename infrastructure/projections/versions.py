"""Each projection's name and the version of the code that builds its tables (another version
rebuilds them): here apart from the projections, so that a read can tell whether the stored read
models are current without loading the code that applies events."""

from __future__ import annotations

LIVE_PAGE = "live-page"
HISTORY = "history"
PROJECTION_VERSIONS = {LIVE_PAGE: 3, HISTORY: 3}
