"""What a story's snapshot keeps: the state its rules decide on, whose size does not grow with
ordinary posting. Given past events, when a snapshot is taken (or loaded), then its state."""

from __future__ import annotations

import json
from typing import cast

from domain.chain import sealing
from domain.markdown_body import parse_body
from domain.story import Story
from spec_kit import EDITOR, T0, event, given


def _sealed_posts(count: int) -> Story:
    """A story of `count` updates, every one posted sealed (a store with keys)."""
    return given(event(Story.Opened), *[event(Story.UpdatePosted, sealed=True)] * count).story


def _stored(story: Story) -> str:
    """The story's snapshot state as JSON, as a store holds it."""
    return json.dumps(Story.Snapshot.take(story).state, default=str)


def test_a_snapshot_of_a_story_of_sealed_posts_is_as_long_at_1000_posts_as_at_100() -> None:
    at_100, at_1000 = _sealed_posts(100), _sealed_posts(1000)

    small, large = _stored(at_100), _stored(at_1000)

    assert len(large) - len(small) == 2  # the update count's extra digit, and its run's end's
    assert at_1000.sealed_updates == [[1, 1000]]


def test_a_story_loaded_from_its_snapshot_grows_its_run_with_the_next_sealed_post() -> None:
    story = cast(Story, Story.Snapshot.take(_sealed_posts(3)).mutate(None))

    with sealing(lambda: "salt"):
        story.post_update("Fourth", parse_body("Words."), editor=EDITOR, at=T0)

    assert story.sealed_updates == [[1, 4]]


def _sealed_approvals(count: int) -> Story:
    """A story of `count` updates, each a contributor's submission approved sealed."""
    submitted_and_approved = [
        spec
        for n in range(1, count + 1)
        for spec in (
            event(Story.UpdateSubmitted, submission=n, sealed=True),
            event(Story.SubmissionApproved, submission=n, sealed=True),
        )
    ]
    return given(event(Story.Opened), *submitted_and_approved).story


def test_a_snapshot_of_a_story_of_approved_submissions_does_not_grow_with_them_either() -> None:
    at_100, at_1000 = _sealed_approvals(100), _sealed_approvals(1000)

    small, large = _stored(at_100), _stored(at_1000)

    assert len(large) - len(small) <= 4  # digits of the counts and the run's end
    assert at_1000.sealed_updates == [[1, 1000]]
