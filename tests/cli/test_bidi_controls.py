"""`newsroom page` never shows a bidi override raw: the HTML page leaves it out, as the readers'
web does; the text page writes it out as `<U+202E>`, so the editor sees it is there."""

from __future__ import annotations

from tests.cli.conftest import Run

RLO, PDF = "\u202e", "\u202c"


def _tricked(run: Run) -> None:
    run("--as", "ann", "story", "open", "vote", "--headline", f"Minister {RLO}sngiser{PDF} today")
    run("--as", "ann", "update", "post", "vote", "--title", f"Vote {RLO}detnuoc{PDF}", "--body", "Counted.")


def test_the_html_page_leaves_bidi_controls_out(run: Run) -> None:
    _tricked(run)

    result = run("page", "vote", "--format", "html")

    assert result.exit_code == 0
    assert RLO not in result.stdout and PDF not in result.stdout
    assert "<title>Minister sngiser today" in result.stdout


def test_the_text_page_writes_bidi_controls_out(run: Run) -> None:
    _tricked(run)

    result = run("page", "vote")

    assert result.exit_code == 0
    assert RLO not in result.stdout
    assert "Minister <U+202E>sngiser<U+202C> today" in result.stdout


def test_the_json_page_keeps_the_words_as_stored(run: Run) -> None:
    _tricked(run)

    result = run("page", "vote", "--format", "json")

    assert f"Minister {RLO}sngiser{PDF} today" in result.stdout or "\\u202e" in result.stdout
