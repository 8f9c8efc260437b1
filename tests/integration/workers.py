"""Processes the concurrency tests start: `python -m tests.integration.workers post URL SLUG COUNT EDITOR`."""

from __future__ import annotations

import sys

from infrastructure.composition import open_newsroom


def post_many(url: str, slug: str, count: int, editor: str) -> None:
    app = open_newsroom(url)
    try:
        for n in range(count):
            app.post_update(slug, f"{editor} #{n + 1}", f"Update {n + 1} from {editor}.", editor=editor)
    finally:
        app.close()


if __name__ == "__main__":
    command, url, slug, count, editor = sys.argv[1:]
    assert command == "post"
    post_many(url, slug, int(count), editor)
