"""The thematic page in a real browser: headless chromium renders it, the payload stays text.

Skipped when chromium is not installed, except on CI (CI=true), where it must be.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from inspect_cli.render.html.report import render_thematic_html
from inspect_cli.reports.thematic import ThematicReport
from tests.helpers.browser import chromium, run

PAYLOAD = '<script>alert(1)</script>" onmouseover="x'


@pytest.fixture(scope="module")
def page(thematic: ThematicReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    forces = list(thematic.forces)
    forces[1] = replace(forces[1], label=PAYLOAD)  # Force B
    path = tmp_path_factory.mktemp("browser") / "thematic.html"
    path.write_text(render_thematic_html(replace(thematic, forces=tuple(forces))), encoding="utf-8")
    return path


def test_browser_renders_the_table_and_keeps_the_payload_as_text(
    page: Path, tmp_path: Path
) -> None:
    browser = chromium()
    result = run(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    for text in ("Force C", "24 (21%)", "57 (50%)", "Total", "177 (31%)", "Not recorded"):
        assert text in dom, text
    assert "<script>alert" not in dom
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # the payload, shown as text


def test_browser_screenshot(page: Path, tmp_path: Path) -> None:
    browser = chromium()
    shot = tmp_path / "thematic.png"
    result = run(
        browser,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        page.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists(), result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000


def _pdf_page_texts(pdf: bytes) -> list[str]:
    """The text of each page of a PDF that Chromium printed: enough to find a word on a
    page. Chromium writes Type0 fonts with ToUnicode maps, 2-byte glyph ids and no
    object streams; nothing more general is needed (or attempted) here."""
    objs = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}

    def stream(n: int) -> bytes:
        found = re.search(rb"stream\r?\n(.*?)\r?\nendstream", objs[n], re.S)
        raw = found.group(1) if found else b""
        return zlib.decompress(raw) if b"/FlateDecode" in objs[n] else raw

    def glyphs(font: int) -> dict[int, str]:
        ref = re.search(rb"/ToUnicode (\d+) 0 R", objs[font])
        cmap = stream(int(ref.group(1))) if ref else b""
        out: dict[int, str] = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
            for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                out[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
            for low, high, first in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                for i in range(int(low, 16), int(high, 16) + 1):
                    out[i] = chr(int(first, 16) + i - int(low, 16))
        return out

    kids = re.search(rb"/Type /Pages.*?/Kids \[(.*?)\]", pdf, re.S)
    assert kids is not None, "no page tree"
    texts = []
    for page in (int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))):
        fonts = {
            name: glyphs(int(ref)) for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", objs[page])
        }
        contents = re.search(rb"/Contents (\d+) 0 R", objs[page])
        text, font = [], {}
        ops = rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)>\s*Tj|\[(.*?)\]\s*TJ"
        for op in re.finditer(ops, stream(int(contents.group(1))) if contents else b"", re.S):
            if op.group(1):
                font = fonts.get(op.group(1), {})
                continue
            for hexes in (
                [op.group(2)]
                if op.group(2) is not None
                else re.findall(rb"<([0-9A-Fa-f]*)>", op.group(3))
            ):
                codes = hexes.decode()
                text += [font.get(int(codes[i : i + 4], 16), "?") for i in range(0, len(codes), 4)]
        texts.append("".join(text))
    return texts


def test_printed_pages_carry_the_marking(thematic: ThematicReport, tmp_path: Path) -> None:
    browser = chromium()
    marked = replace(thematic, meta=replace(thematic.meta, marking="OFFICIAL-SENSITIVE"))
    page = tmp_path / "marked.html"
    page.write_text(render_thematic_html(marked), encoding="utf-8")
    pdf = tmp_path / "marked.pdf"
    result = run(
        browser,
        tmp_path / "profile",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    texts = _pdf_page_texts(pdf.read_bytes())
    assert len(texts) >= 2
    assert "Conclusions by force" in texts[0]  # the extraction reads real text
    for number, text in enumerate(texts, start=1):
        # the @page header and footer (and, on the first and last page, the banner)
        assert text.count("OFFICIAL-SENSITIVE") >= 2, (number, text[:200])
