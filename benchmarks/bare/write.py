"""A bare-library write process: open a plain `Application` on the store, load a blog, record one
event, save. What a plain user of eventsourcing would write; imports nothing of the newsroom.

    python benchmarks/bare/write.py SLUG TITLE BODY

The store comes from the library's own environment variables (PERSISTENCE_MODULE, SQLITE_DBNAME or
POSTGRES_*), as for any library application; the first run opens the blog.
"""

from __future__ import annotations

import sys
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, event


class Blog(Aggregate):
    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.posts = 0

    @staticmethod
    def create_id(slug: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/blogs/{slug}")

    @event("UpdatePosted")
    def post_update(self, title: str, body: str) -> None:
        self.posts += 1


def main(slug: str, title: str, body: str) -> None:
    app = Application[UUID]()
    try:
        blog = app.repository.get(Blog.create_id(slug))
    except AggregateNotFoundError:
        blog = Blog(slug)
    blog.post_update(title, body)
    app.save(blog)
    print(f"{slug}: update {blog.posts} posted (version {blog.version})")


if __name__ == "__main__":
    main(*sys.argv[1:4])
