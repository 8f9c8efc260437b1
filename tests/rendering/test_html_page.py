"""The HTML page: complete and well formed, every editor-supplied string escaped, no script way in."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from domain.markdown_body import parse_body
from domain.page import Page
from domain.story import Story
from infrastructure.rendering.html_page import render_page_html, safe_url
from spec_kit import event
from tests.support.pages import page_after

VOID = {"meta", "img", "br", "hr", "link", "input"}
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&#58;alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    " javascript:alert(1)",
    "\u200bjavascript:alert(1)",
]


class Document(HTMLParser):
    """Checks nesting as it parses, and collects every element and attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.doctype = False
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Document:
    document = Document()
    document.feed(html)
    document.close()
    assert document.doctype and document.open == []
    return document


def hostile_page() -> Page:
    body = "\n\n".join(
        [
            f"Text {PAYLOAD}",
            *(f"[link {n}]({url})" for n, url in enumerate(HOSTILE_LINKS)),
            f"> Quoted {PAYLOAD}\n>\n> \u2013 Source {PAYLOAD}",
            f"- item {PAYLOAD}\n- [x](javascript:alert(3))",
            f"![caption {PAYLOAD}](javascript:alert(4))\nCredit: credit {PAYLOAD}",
            "[fine](https://example.org/a?b=1&c=2)",
        ]
    )
    return page_after(
        event(Story.Opened, headline=f"Headline {PAYLOAD}", standfirst=f"Standfirst {PAYLOAD}"),
        event(
            Story.UpdatePosted, title=f"Title {PAYLOAD}", body=body, byline=f"By {PAYLOAD}", key_event=True
        ),
        event(
            Story.QuoteCorrected,
            number=1,
            quote=1,
            text=f"New {PAYLOAD}",
            note=f"Note {PAYLOAD}",
            editor=f"Ed {PAYLOAD}"[:60],
        ),
    )


def test_the_page_is_a_complete_well_formed_document() -> None:
    document = parsed(render_page_html(hostile_page()))

    tags = [tag for tag, _ in document.elements]
    assert tags[:3] == ["html", "head", "meta"] and "title" in tags and "body" in tags


def test_no_field_can_inject_a_script_an_event_handler_or_a_script_link() -> None:
    document = parsed(render_page_html(hostile_page()))

    for tag, attributes in document.elements:
        assert tag not in ("script", "iframe", "object", "embed")
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                assert safe_url(attributes[name]), (tag, attributes)
    links = [a["href"] for tag, a in document.elements if tag == "a"]
    assert "https://example.org/a?b=1&c=2" in links
    assert not [tag for tag, _ in document.elements if tag == "img"]


def test_every_editor_supplied_string_is_shown_as_text() -> None:
    html = render_page_html(hostile_page())
    text = "".join(parsed(html).text)

    for field in (
        "Headline",
        "Standfirst",
        "Title",
        "By",
        "Text",
        "Source",
        "item",
        "caption",
        "credit",
        "Note",
    ):
        assert f"{field} {PAYLOAD}" in text, field
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_a_script_url_is_never_rendered_as_a_link(url: str) -> None:
    page = page_after(event(Story.Opened), event(Story.UpdatePosted, body=f"[click]({url}) and <{url}>"))

    document = parsed(render_page_html(page))

    assert [a for tag, a in document.elements if tag == "a" and "click" in str(a)] == []
    assert all(safe_url(a.get("href") or "") for tag, a in document.elements if tag == "a")


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org", True),
        ("mailto:desk@example.org", True),
        ("/relative/path", True),
        ("#update-3", True),
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("data:text/html,<script>", False),
        ("javascript:alert(1)", False),
        ("VBScript:x", False),
        ("file:///etc/passwd", False),
    ],
)
def test_safe_urls_are_http_mailto_relative_or_data_images(url: str, safe: bool) -> None:
    assert safe_url(url) is safe


def test_blocks_render_as_quotes_lists_and_figures() -> None:
    body = (
        "> We are hopeful.\n>\n> \u2013 The spokesman\n\n1. first\n2. second\n\n"
        "![Leaders](https://e.org/a.jpg)\nCredit: PA"
    )
    page = page_after(event(Story.Opened), event(Story.UpdatePosted, body=body))
    assert [type(b).__name__ for b in page.updates[0].blocks] == [type(b).__name__ for b in parse_body(body)]

    document = parsed(render_page_html(page))

    tags = [tag for tag, _ in document.elements]
    assert {"blockquote", "footer", "ol", "li", "figure", "img", "figcaption"} <= set(tags)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2013, 5, 10, 14, 32, 0, 123456, tzinfo=UTC), "2013-05-10T14:32:00.123Z"),
        (datetime(2013, 5, 10, 14, 32, 59, 999999, tzinfo=UTC), "2013-05-10T14:32:59.999Z"),
        (datetime(2013, 5, 10, 14, 32, tzinfo=UTC), "2013-05-10T14:32:00Z"),
    ],
)
def test_a_time_element_carries_at_most_milliseconds(moment: datetime, shown: str) -> None:
    from infrastructure.rendering.times import machine_time

    assert machine_time(moment) == shown
