"""Processes the concurrency and crash tests start:

python -m tests.integration.workers post URL SLUG COUNT EDITOR            # the application alone
python -m tests.integration.workers post-and-project URL SLUG COUNT EDITOR  # as the CLI does
"""

from __future__ import annotations

import sys

from infrastructure.bootstrap import bootstrap


def post_many(url: str, slug: str, count: int, editor: str) -> None:
    newsroom = bootstrap(url)
    try:
        for n in range(count):
            newsroom.app.post_update(
                slug, f"{editor} #{n + 1}", f"Update {n + 1} from {editor}.", editor=editor
            )
    finally:
        newsroom.close()


def post_and_project(url: str, slug: str, count: int, editor: str) -> None:
    """Posts pinned updates (three events a command) and catches the read models up after each."""
    newsroom = bootstrap(url)
    try:
        for n in range(count):
            newsroom.app.post_update(
                slug, f"{editor} #{n + 1}", "> Words.\n>\n> - Someone", pin=True, editor=editor
            )
            newsroom.runner.catch_up()
    finally:
        newsroom.close()


if __name__ == "__main__":
    command, url, slug, count, editor = sys.argv[1:]
    {"post": post_many, "post-and-project": post_and_project}[command](url, slug, int(count), editor)
