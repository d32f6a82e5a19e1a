"""Shared by several test modules (moved from tests/test_render_html.py)."""

from __future__ import annotations

from html.parser import HTMLParser

PAYLOAD = '<script>alert(1)</script>" onmouseover="x'


ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&#34; onmouseover=&#34;x"


CSP = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def assert_escaped(html: str) -> None:
    assert PAYLOAD not in html
    assert "<script" not in html.lower()
    assert 'onmouseover="' not in html
    assert ESCAPED in html
    parsed = parse(html)
    assert "script" not in parsed.tags
    for name, value in parsed.attributes:
        assert not name.startswith("on"), name
        assert "alert" not in (value or ""), (name, value)
    assert any(PAYLOAD in chunk for chunk in parsed.text)  # shown as text


class Page(HTMLParser):
    """Collects what the structural checks need from a rendered page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables = 0
        self.captions_first = 0
        self.th_scopes: list[str | None] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.tags: list[str] = []
        self._after_table = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if self._after_table:
            self.captions_first += tag == "caption"
            self._after_table = False
        if tag == "table":
            self.tables += 1
            self._after_table = True
        if tag == "th":
            self.th_scopes.append(dict(attrs).get("scope"))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
