"""A long published story, built fast: its updates recorded on one loaded story and saved in
batches that end where the library takes its snapshots, a few transactions in all."""

from __future__ import annotations

from domain.application import Newsroom
from domain.markdown_body import parse_body
from domain.story import Story

EDITOR = "Ann Editor"


def long_story(
    app: Newsroom, slug: str, updates: int, *, key_events: tuple[int, ...] = (), publish: bool = True
) -> None:
    """Opens `slug` with `updates` updates ("Update N", key events where `key_events` says), and
    publishes it (unless not `publish`)."""
    app.open_story(slug, "A long story", standfirst="Many updates.", editor=EDITOR)
    story = app.get_story(slug)
    interval = app.snapshotting_intervals[Story]
    digests = []
    for number in range(1, updates + 1):
        body = parse_body(f"Body of update {number}.")
        key = number in key_events
        with app.sealing_words():  # sealed as the application's own post seals them
            posted = story.post_update(f"Update {number}", body, key_event=key, editor=EDITOR, at=app.clock())
        digests.append(posted)
        if story.version % interval == 0 or number == updates:
            app.save(story, *digests)
            digests.clear()
    if publish:
        app.publish_story(slug, editor=EDITOR)
