"""One template, three formats: HTML, Word (python-docx) and PDF (WeasyPrint), as typed."""

from __future__ import annotations

import base64
import csv
import io
import re
import shutil
import stat
import subprocess

import docx
import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook
from pypdf import PdfReader

from partnerkit import reports
from partnerkit.errors import PartnerkitError
from partnerkit.reports.htmldocx import html_to_docx

LONG_LINE = "".join("abcdefghijklmnopqrstuvwxyz0123456789"[i % 36] for i in range(5000))
HOSTILE = {
    "html": "<script>alert('x')</script><b>not bold</b> & &amp; \"quoted\"",
    "jinja": "{{ 7*7 }} {% raw %}raw{% endraw %} {# not a comment #} {%- if x %}",
    "formula": "=SUM(A1)+@cmd|' /C calc'!A0",
    "long": LONG_LINE,
    "emoji": "😀 ✓ ☀ ♥",
    "rtl": "שלום עולם مرحبا بالعالم",
    "controls": "bell\x07 escape\x1b vtab\x0b formfeed\x0c delete\x7f c1\x85 tab\tend",
    "lines": "first line\nsecond   line, spaced",
}

TEMPLATE = """{% extends "base.html.j2" %}{% block body %}
<h2 class="user-text">{{ heading }}</h2>
<p class="user-text">{{ paragraph }}</p>
<ul>{% for item in items %}<li class="user-text">{{ item }}</li>{% endfor %}</ul>
<ol><li class="user-text">{{ heading }}</li><li>second</li></ol>
<table><caption class="user-text">{{ heading }}</caption>
<tr><th>Field</th><th class="user-text">{{ heading }}</th></tr>
{% for key, value in rows %}<tr><td class="user-text">{{ key }}</td>
<td class="user-text">{{ value }}</td></tr>{% endfor %}
</table>
<p><img src="{{ png }}" alt="{{ heading }}"></p>
{% endblock %}"""


@pytest.fixture
def template(tmp_path, monkeypatch):
    """A report template in tmp_path, found alongside the shipped ones."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "hostile.html.j2").write_text(TEMPLATE, encoding="utf-8")
    original = reports.environment

    def environment():
        env = original()
        env.loader.searchpath.append(str(folder))
        return env

    monkeypatch.setattr(reports, "environment", environment)
    return "hostile.html.j2"


def png_data_uri() -> str:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    figure.add_subplot().plot([1, 3, 2])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def render(template: str, value: str) -> str:
    return reports.render_html(
        template, workspace=value[:200], frameworks=["mapping_tool"], title=value[:300],
        heading=value, paragraph=value, items=[value, "plain"],
        rows=[("a", value), (value, "b")], png=png_data_uri())


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    """The PDF's text without the page numbers printed in each page's footer."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"Page\s*\d+\s*of\s*\d+", "", text.replace("\x00", ""))


def squeeze(text: str) -> str:
    """Text without whitespace (a PDF wraps long lines; pypdf adds stray NULs) nor the
    zero-width spaces that let a very long line wrap."""
    return re.sub(r"[\s\u200b]+", "", text.replace("\x00", ""))


# ------------------------------------------------------------------- as typed


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_shown_as_typed_in_html(template, name):
    value = HOSTILE[name]
    page = render(template, value)
    tree = lxml_html.document_fromstring(page)
    assert tree.findall(".//script") == []
    assert tree.xpath("//b") == []
    shown = reports.visible_text(value)
    assert tree.findtext(".//h2") == shown
    assert tree.find('.//p[@class="user-text"]').text_content() == shown
    assert [li.text_content() for li in tree.findall(".//main//ul/li")] == [shown, "plain"]
    assert tree.findtext(".//title") == reports.visible_text(value[:300])
    assert [td.text_content() for td in tree.findall(".//td")] == ["a", shown, shown, "b"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_shown_as_typed_in_word(template, name):
    value = HOSTILE[name]
    text = docx_text(reports.html_to_docx(render(template, value)))
    shown = reports.visible_text(value)
    assert shown in text
    assert text.count(shown) >= 8  # heading, paragraph, 2 list items, caption, 3 cells
    if name == "html":
        assert "<script>" in text  # as typed, never as markup
    if name == "lines":
        assert "first line\nsecond   line, spaced" in text


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_shown_as_typed_in_pdf(template, name):
    value = HOSTILE[name]
    text = pdf_text(reports.html_to_pdf(render(template, value)))
    assert squeeze(reports.visible_text(value)) in squeeze(text)


def test_control_characters_are_named_alike_in_every_format(template):
    value = HOSTILE["controls"]
    page = render(template, value)
    for shown in ("bell[U+0007]", "escape[U+001B]", "delete[U+007F]", "c1[U+0085]"):
        assert shown in page
        assert shown in docx_text(reports.html_to_docx(page))
        assert shown in squeeze(pdf_text(reports.html_to_pdf(page)))
    assert "\x07" not in page


def test_lone_surrogates_and_nul_do_not_break_a_report():
    shown = reports.visible_text("a\ud800b\x00c\ufffe")
    assert shown == "a[U+D800]b[U+0000]c[U+FFFE]"
    shown.encode("utf-8")


def test_emoji_sequences_print_when_an_emoji_font_is_installed():
    if not shutil.which("fc-list") or not subprocess.run(
            ["fc-list", ":charset=1f44d"], capture_output=True, text=True).stdout.strip():
        pytest.skip("no emoji font (Debian: fonts-noto-color-emoji)")
    value = "👍🏽 👩‍👩‍👧 🇬🇧"
    page = f"<html><body><p>{value}</p></body></html>"
    assert squeeze(value) in squeeze(pdf_text(reports.html_to_pdf(page)))
    assert value in docx_text(reports.html_to_docx(page))


# ---------------------------------------------------------------- structure


SAMPLE = """<!DOCTYPE html><html><head><title>Pack &amp; plan</title>
<style>p { color: red }</style><script>var x = 1;</script></head><body>
<h1>Heading one</h1><h3>Heading three</h3>
<p>Hello <strong>bold</strong> and <em>italic</em>,<br>new   line.</p>
<p class="user-text">kept
  as typed</p>
<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>
<ol start="3"><li>third</li><li>fourth</li></ol>
<table><thead><tr><th>A</th><th>B</th></tr></thead>
<tbody><tr><td colspan="2">wide</td></tr><tr><td>x</td><td>y <a href="https://example.org">site</a></td></tr></tbody></table>
<p hidden>secret</p><div style="display: none">also secret</div>
<img src="data:image/png;base64,{png}" alt="a chart">
<figure>{svg}<figcaption>An ecomap</figcaption></figure>
</body></html>"""


def sample_html() -> str:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    figure.add_subplot().plot([1, 2])
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return SAMPLE.replace("{png}", png_data_uri().split(",", 1)[1]).replace("{svg}", svg)


def test_word_keeps_headings_lists_tables_and_images():
    document = docx.Document(io.BytesIO(html_to_docx(sample_html())))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert ("Heading 1", "Heading one") in paragraphs
    assert ("Heading 3", "Heading three") in paragraphs
    assert ("Normal", "Hello bold and italic,\nnew line.") in paragraphs
    assert ("Normal", "kept\n  as typed") in paragraphs
    assert ("List Bullet", "one") in paragraphs and ("List Bullet 2", "nested") in paragraphs
    assert [t for _, t in paragraphs if t.startswith(("3.", "4."))] == ["3. third", "4. fourth"]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "bold" in bold
    texts = "\n".join(t for _, t in paragraphs)
    assert "secret" not in texts and "var x" not in texts and "color: red" not in texts
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["A", "B"]
    assert [c.text for c in table.rows[1].cells] == ["wide", "wide"]  # merged across
    assert table.rows[2].cells[1].text == "y site (https://example.org)"
    assert len(document.inline_shapes) == 2  # the PNG and the SVG drawn to PNG
    assert document.core_properties.title == "Pack & plan"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_word_falls_back_to_the_text_of_a_drawing_it_cannot_read():
    page = ('<p><img src="https://example.org/x.png" alt="remote chart"></p>'
            '<svg aria-label="broken drawing"><path d="M 0 0 L</svg>')
    text = docx_text(html_to_docx(page))
    assert "[Figure: remote chart]" in text


def test_pdf_has_the_content_and_fetches_nothing_outside(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    page = sample_html().replace(
        "</body>", f'<img src="{secret.as_uri()}"><iframe src="{secret.as_uri()}"></iframe>'
                   '<link rel="stylesheet" href="https://example.org/x.css"></body>')
    data = reports.html_to_pdf(page)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in ("Heading one", "Hello bold and italic", "nested", "wide", "An ecomap"):
        assert expected in text
    assert "secret" not in text and "TOP SECRET" not in text
    assert PdfReader(io.BytesIO(data)).metadata.title == "Pack & plan"
    assert "Page 1 of 1" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_convert_html_knows_the_three_formats():
    page = "<html><body><p>x</p></body></html>"
    assert reports.convert_html(page, "html") == page.encode()
    assert reports.convert_html(page, "docx")[:2] == b"PK"
    assert reports.convert_html(page, "pdf")[:4] == b"%PDF"
    with pytest.raises(PartnerkitError, match="odt"):
        reports.convert_html(page, "odt")


# -------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize("value,expected", [
    ("=SUM(A1)", "'=SUM(A1)"),
    ("+44 141 000 0000", "'+44 141 000 0000"),
    ("-2+3", "'-2+3"),
    ("@cmd", "'@cmd"),
    ("\tindented", "'\tindented"),
    ("\r=1", "'\r=1"),
    ("＝1+1", "'＝1+1"),
    ("plain text", "plain text"),
    ("a=b", "a=b"),
    ("", ""),
    (42, 42),
    (-3.5, -3.5),
    (None, None),
])
def test_formulas_are_neutralised(value, expected):
    assert reports.neutralise_formula(value) == expected


def test_csv_neutralises_formulas_and_is_owner_only(tmp_path):
    rows = [{"pupil": "P-1001", "note": "=HYPERLINK(\"http://x\")", "score": -1},
            {"pupil": "P-1002", "note": "@SUM(1)", "score": 2}]
    path = reports.write_csv(tmp_path / "out" / "notes.csv", rows)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with path.open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert read[0]["note"] == "'=HYPERLINK(\"http://x\")"
    assert read[1]["note"] == "'@SUM(1)"
    assert read[0]["score"] == "-1"  # a number is a number, not text to neutralise


def test_csv_from_a_dataframe(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"=head": ["=1+1", "ok"], "n": [1, None]})
    path = reports.write_csv(tmp_path / "f.csv", frame)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["'=head,n", "'=1+1,1.0", "ok,"]


def test_xlsx_keeps_formula_text_as_text_and_is_owner_only(tmp_path):
    rows = [["P-1001", "=SUM(A1:A9)", 3], ["P-1002", "-minus", "bell\x07"]]
    path = reports.write_xlsx(tmp_path / "t.xlsx", rows, columns=["pupil", "note", "n"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sheet = load_workbook(path).active
    cell = sheet["B2"]
    assert cell.value == "=SUM(A1:A9)" and cell.data_type == "s" and cell.quotePrefix
    assert sheet["B3"].value == "-minus" and sheet["B3"].quotePrefix
    assert sheet["C3"].value == "bell[U+0007]"
    assert sheet["C2"].value == 3 and not sheet["C2"].quotePrefix
    assert [c.value for c in sheet[1]] == ["pupil", "note", "n"]


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("fmt", reports.FORMATS)
def test_report_files_of_every_format_are_owner_only(tmp_path, fmt):
    data = reports.convert_html("<html><body><h1>x</h1></body></html>", fmt)
    path = reports.write_private(tmp_path / fmt / f"r.{fmt}", data)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_long_runs_get_break_points_in_text_only():
    run = "x" * 45
    page = (f'<p title="{run}">{run} &amp;{"y" * 39}</p><style>{run}</style>'
            f'<img src="data:image/png;base64,{"A" * 60}">')
    out = reports.breakable(page)
    assert f"<p title=\"{run}\">" in out and f"<style>{run}</style>" in out
    assert "x" * 20 + "\u200b" + "x" * 20 + "\u200b" + "x" * 5 in out
    assert "&amp;" + "y" * 39 in out and "A" * 60 in out
    assert out.replace("\u200b", "") == page
