"""An attribution the editor typed with its dash is shown with one dash, not two, wherever a
quote is rendered (the web and `page --format html`, the text page, the history); the stored words
stay as written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.blocks import Quote
from domain.page import Update
from infrastructure.rendering.attribution import attribution_line
from infrastructure.rendering.history_views import _quote_line
from infrastructure.rendering.text_page import _block
from infrastructure.web.html import render_update

T0 = datetime(2013, 5, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed",
    [
        "A Downing Street spokesman",
        "– A Downing Street spokesman",
        "- A Downing Street spokesman",
        "—A Downing Street spokesman",
    ],
)
def test_an_attribution_is_shown_after_one_dash_however_it_was_typed(typed: str) -> None:
    assert attribution_line(typed) == "– A Downing Street spokesman"


@pytest.mark.parametrize("nobody", [None, "", "–", " - "])
def test_a_quote_attributed_to_nobody_shows_no_dash(nobody: str | None) -> None:
    assert attribution_line(nobody) == ""


def test_the_text_page_and_the_history_show_one_dash() -> None:
    quote = Quote("Impossible.", "– A Russian official")

    assert _block(quote)[-1].strip() == "– A Russian official"
    assert _quote_line({"text": "Impossible.", "attribution": "– A Russian official"}).endswith(
        "” – A Russian official"
    )


def test_the_html_shows_one_dash() -> None:
    update = Update(1, "Talks", None, (Quote("Impossible.", "– A Russian official"),), T0, None, False, ())

    html = render_update(update, pinned=False, zone="UTC")

    assert "<footer>– A Russian official</footer>" in html
