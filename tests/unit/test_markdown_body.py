"""The Markdown body parser: what editors type becomes blocks; nothing they type breaks it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.blocks import BulletList, Image, Paragraph, Quote, block_from_dict, block_to_dict
from domain.markdown_body import inline_to_plain_text, parse_body

ADVERSARIAL = st.one_of(
    st.text(max_size=400),
    st.lists(
        st.sampled_from(
            ["> ", "- ", "– ", "1. ", "![", "](", ")", "Credit:", "\n", "\n\n", "<script>",
             "'; DROP TABLE x;--", "\u202e", "\u200f", "\x00", "\x1b[31m", "*", "`",
             "[a](javascript:alert(1))", "    ", "#"]
        ),
        max_size=60,
    ).map("".join),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(ADVERSARIAL)
def test_any_text_parses_into_blocks_that_round_trip(text: str) -> None:
    blocks = parse_body(text)

    for block in blocks:
        assert isinstance(block, Paragraph | Quote | BulletList | Image)
        assert block_from_dict(block_to_dict(block)) == block
    assert isinstance(inline_to_plain_text(text), str)


def test_text_that_looks_like_html_or_sql_is_kept_as_typed() -> None:
    body = "A story about <script>alert('x')</script> and '; DROP TABLE stories;--"

    assert parse_body(body) == (Paragraph(body),)


def test_a_quote_attribution_may_follow_any_dash() -> None:
    for dash in ("-", "\u2013", "\u2014"):
        assert parse_body(f"> Words.\n>\n> {dash} Someone") == (Quote("Words.", "Someone"),)


def test_a_dash_line_alone_in_a_quote_is_its_text_not_an_attribution() -> None:
    assert parse_body("> \u2013 Just a dash line") == (Quote("\u2013 Just a dash line", None),)


def test_a_credit_in_its_own_paragraph_attaches_to_the_image_before_it() -> None:
    assert parse_body("![Caption](x.jpg)\n\nCredit: PA") == (Image("Caption", "x.jpg", "PA"),)


def test_numbered_lists_are_ordered() -> None:
    assert parse_body("1. First\n2. Second") == (BulletList(("First", "Second"), ordered=True),)
