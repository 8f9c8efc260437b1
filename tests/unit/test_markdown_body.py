"""The Markdown body parser: what editors type becomes blocks; nothing they type breaks it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import markdown_body
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


IMAGE_HEAVY = st.lists(
    st.sampled_from(
        ["![", "]", "(", ")", "[ref]", "[ref]: https://example.org/r.jpg", "https://example.org/a.jpg",
         "Leaders", " ", "\n", "\n\n", "> ", "- ", "*", "\\", "<", ">", '"t"', "Credit: PA",
         "![Leaders](https://example.org/a.jpg)", "![x][ref]", "![*a*](<b c>)", '![a](b "t")', "![]()"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


def _paragraph_images(tokens: list, find) -> list:  # noqa: ANN001
    found = []
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open":
            image = find(tokens[i + 1])
            found.append(
                None if image is None else (image.attrGet("src"), image.children and len(image.children))
            )
    return found


@settings(max_examples=400, deadline=None)
@given(ADVERSARIAL | IMAGE_HEAVY)
def test_paragraphs_open_with_the_images_a_full_inline_parse_finds(text: str) -> None:
    full = markdown_body._parser().parse(text, {})
    env: dict = {}
    blocks_only = markdown_body._block_parser().parse(text, env)

    def first_child_image(inline):  # noqa: ANN001, ANN202
        children = inline.children or []
        return children[0] if children and children[0].type == "image" else None

    assert _paragraph_images(
        blocks_only, lambda inline: markdown_body._leading_image(inline.content, env)
    ) == (_paragraph_images(full, first_child_image))


def test_an_image_given_by_reference_is_an_image() -> None:
    body = "![Leaders meet][photo]\nCredit: PA Wire\n\n[photo]: https://example.org/x.jpg"

    assert parse_body(body) == (Image("Leaders meet", "https://example.org/x.jpg", "PA Wire"),)


def test_a_body_keeps_its_lists_images_and_credits() -> None:
    body = parse_body("Options:\n\n- One\n- Two\n\n![Leaders meet](https://img/x.jpg)\nCredit: PA Wire")

    assert body == (
        Paragraph("Options:"),
        BulletList(("One", "Two")),
        Image("Leaders meet", "https://img/x.jpg", "PA Wire"),
    )
