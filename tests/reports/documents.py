"""What the report tests share: hostile text, a test template, and the text of each format."""

from __future__ import annotations

import base64
import io
import re

import docx
from pypdf import PdfReader

from partnerkit import reports
from partnerkit.reports.pdf import MARGINS_MM

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
    """The PDF's body text: without the marks printed in each page's margins."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(body_text(page) for page in reader.pages).replace("\x00", "")


def body_text(page) -> str:
    """The text printed between a page's top and bottom margins (not its header and footer)."""
    top, _, bottom, _ = (mm * 72 / 25.4 for mm in MARGINS_MM)
    height = float(page.mediabox.height)
    kept: list[str] = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if bottom - 1 <= y <= height - top + 1:
            kept.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(kept)


def margin_text(page) -> str:
    """The text printed in a page's top and bottom margins: its marks."""
    top, _, bottom, _ = (mm * 72 / 25.4 for mm in MARGINS_MM)
    height = float(page.mediabox.height)
    kept: list[str] = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and not bottom - 1 <= y <= height - top + 1:
            kept.append(text)

    page.extract_text(visitor_text=visit)
    return " ".join(" ".join(kept).split())


def squeeze(text: str) -> str:
    """Text without whitespace (a PDF wraps long lines; pypdf adds stray NULs) nor the
    zero-width spaces that let a very long line wrap."""
    return re.sub(r"[\s\u200b]+", "", text.replace("\x00", ""))


SAMPLE = """<!DOCTYPE html><html><head><title>Pack &amp; plan</title>
<style>p { color: red }</style><script>var x = 1;</script></head><body>
<main><h1>Heading one</h1><h3>Heading three</h3>
<p>Hello <strong>bold</strong> and <em>italic</em>,<br>new   line.</p>
<p class="user-text">kept
  as typed</p>
<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>
<ol start="3"><li>third</li><li>fourth</li></ol>
<table><thead><tr><th>A</th><th>B</th><th>C</th></tr></thead>
<tbody><tr><td colspan="2">wide</td><td rowspan="2">tall</td></tr>
<tr><td>x</td><td>y <a href="https://example.org">site</a></td></tr></tbody></table>
<p hidden>secret</p><div style="display: none">also secret</div>
<img src="data:image/png;base64,{png}" alt="a chart">
<figure>{svg}<figcaption>An ecomap</figcaption></figure></main>
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
