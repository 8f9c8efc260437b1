"""On both stores: a submission's path shows readers nothing in the read models (the page now,
at every version and time, the story list) until an editor approves it, also after a rebuild."""

from __future__ import annotations

from infrastructure.bootstrap import Services

SLUG = "s"


def seen(page) -> tuple[object, ...]:
    return (page.header, list(page.updates))


def test_a_submissions_path_shows_readers_nothing_until_approved_even_after_a_rebuild(
    newsroom: Services,
) -> None:
    app = newsroom.app
    app.open_story(SLUG, "A story", editor="ed")
    app.publish_story(SLUG, editor="ed")
    app.post_update(SLUG, "Posted", "News.", editor="ed")
    shown = seen(newsroom.caught_up().page(SLUG))
    app.submit_update(SLUG, "Offered", "From the field.", editor="cat")
    app.revise_submission(SLUG, 1, title="Offered again", editor="cat")
    app.submit_update(SLUG, "Rumour", "Unsourced.", editor="cat")
    app.reject_submission(SLUG, 2, reason="Unsourced", editor="ed")
    app.submit_update(SLUG, "Oops", "Never mind.", editor="cat")
    app.withdraw_submission(SLUG, 3, editor="cat")
    last_unseen = app.get_story(SLUG).version
    app.approve_submission(SLUG, 1, editor="ed")

    for rebuilt in (False, True):
        if rebuilt:
            newsroom.runner.rebuild()
        queries = newsroom.caught_up()
        for version in range(4, last_unseen + 1):
            page = queries.page_at(SLUG, version)
            assert seen(page) == shown and page.version == version
            assert queries.version_at(SLUG, page.updated_at) == version
        assert [(u.number, u.title) for u in queries.page(SLUG).updates] == [
            (2, "Offered again"),
            (1, "Posted"),
        ]
        assert seen(queries.page(SLUG)) == seen(app.get_page(SLUG))
