"""Report HTML to a Word document, so one Jinja2 template serves HTML, Word and PDF.

:func:`html_to_docx` walks the HTML a report template produced and writes the same
content with python-docx: headings, paragraphs, bold/italic/code runs, line breaks,
bulleted and numbered lists (nested), tables (with ``colspan``/``rowspan``), definition
lists, block quotes, captions and images. PNG, JPEG and GIF images come from ``data:``
URIs; SVG drawings (inline ``<svg>`` elements or ``data:image/svg+xml`` URIs) are drawn
to PNG with CairoSVG when it is installed, and otherwise stand as their text alternative.
Nothing is fetched from the network or the disk.

Text is written as it stands in the HTML: whitespace collapses as a browser collapses it,
except inside ``<pre>``, an element of class ``user-text`` or one styled
``white-space: pre…``, where line breaks and spaces are kept as typed. Elements with the
``hidden`` attribute, ``display: none`` or class ``pk-screen-only`` are left out.
"""

from __future__ import annotations

import base64
import io
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html import unescape as _unescape
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt
from lxml import etree
from lxml import html as lxml_html

from partnerkit.reports import visible_text

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_MM = 20
USABLE_WIDTH_IN = (PAGE_WIDTH_MM - 2 * MARGIN_MM) / 25.4
"""Inches between the margins of an A4 page: the widest an image may be."""

HEADINGS = {f"h{n}": n for n in range(1, 7)}
SKIPPED = {"head", "title", "style", "script", "template", "noscript", "meta", "link",
           "button", "input", "select", "option", "textarea", "iframe", "object", "embed",
           "video", "audio", "canvas", "map", "area"}
BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside",
          "figure", "address", "details", "summary", "fieldset", "legend", "form", "body",
          "html", "center", "hgroup", "search"}
BOLD = {"b", "strong", "th", "dt", "summary", "legend"}
ITALIC = {"i", "em", "cite", "var", "dfn", "address"}
MONO = {"code", "kbd", "samp", "tt"}
PRESERVE = re.compile(r"white-space\s*:\s*(pre|pre-wrap|pre-line|break-spaces)", re.I)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)
SPACES = re.compile(r"[ \t\n\r\f]+")
SVG_OPEN = re.compile(r"<svg\b", re.I)
SVG_TAG = re.compile(r"<(/?)svg\b[^>]*?(/?)>", re.I)
LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|in|cm|mm|pc)?\s*$", re.I)
INCHES_PER = {"px": 1 / 96, "pt": 1 / 72, "in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4,
              "pc": 1 / 6, None: 1 / 96}
SVG_PLACEHOLDER = "data-pk-svg"


@dataclass(frozen=True)
class _Format:
    """The character formatting in force at a point of the HTML tree."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    mono: bool = False
    superscript: bool = False
    subscript: bool = False
    strike: bool = False
    preserve: bool = False


@dataclass
class _ListLevel:
    ordered: bool
    counter: int = 1


@dataclass
class _Place:
    """Where paragraphs go: the document body or a table cell, with its unused paragraph."""

    container: Any
    spare: Any = None
    lists: list[_ListLevel] = field(default_factory=list)
    quote: int = 0


def html_to_docx(html: str) -> bytes:
    """Turn report HTML into the bytes of a .docx file with the same content.

    Args:
        html: a complete page or a fragment, as a report template renders it.

    Returns:
        The Word document (A4, 2 cm margins), titled from the page's ``<title>``.
    """
    html = visible_text(html)
    html, svgs = _lift_svgs(html)
    document = Document()
    _set_up_page(document)
    if not html.strip():
        return _save(document)
    root = lxml_html.document_fromstring(html)
    title = root.findtext(".//title")
    if title:
        document.core_properties.title = " ".join(title.split())[:255]
    writer = _Writer(document, svgs)
    body = root.find("body")
    writer.block(body if body is not None else root)
    return _save(document)


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_up_page(document: Any) -> None:
    for section in document.sections:
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(MARGIN_MM))
    document.styles["Normal"].font.size = Pt(11)


def _lift_svgs(html: str) -> tuple[str, list[str]]:
    """Take each top-level inline ``<svg>`` out of the HTML, leaving a placeholder.

    An HTML parser lowercases SVG's attribute names (``viewBox``), so the drawings are
    kept as their original text and drawn from that.
    """
    if not SVG_OPEN.search(html):
        return html, []
    pieces: list[str] = []
    svgs: list[str] = []
    depth = 0
    start = 0
    cursor = 0
    for match in SVG_TAG.finditer(html):
        closing, self_closing = match.group(1), match.group(2)
        if not closing and not self_closing:
            if depth == 0:
                start = match.start()
            depth += 1
        elif closing and depth:
            depth -= 1
            if depth == 0:
                svg = html[start:match.end()]
                pieces.append(html[cursor:start])
                pieces.append(f'<img {SVG_PLACEHOLDER}="{len(svgs)}" '
                              f'alt="{_escape_attr(_svg_label(svg))}">')
                svgs.append(svg)
                cursor = match.end()
        elif self_closing and depth == 0:
            pieces.append(html[cursor:match.start()])
            cursor = match.end()
    pieces.append(html[cursor:])
    return "".join(pieces), svgs


def _escape_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def _svg_label(svg: str) -> str:
    """The drawing's text alternative: aria-label, then <title>, then <desc>."""
    head = svg[: svg.find(">") + 1]
    label = re.search(r'aria-label\s*=\s*"([^"]*)"', head)
    if label:
        return _unescape(label.group(1))
    for tag in ("title", "desc"):
        found = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", svg, re.S | re.I)
        if found and found.group(1).strip():
            return _unescape(re.sub(r"<[^>]+>", "", found.group(1)).strip())
    return "drawing"


class _Writer:
    """Walks the parsed HTML and writes paragraphs, runs, tables and pictures."""

    def __init__(self, document: Any, svgs: list[str]) -> None:
        self.document = document
        self.svgs = svgs
        self.place = _Place(document)
        self.paragraph: Any = None
        self.style: str | None = None
        self.last_run: Any = None
        self.after_space = True

    # ------------------------------------------------------------ paragraphs

    def end_paragraph(self) -> None:
        """Close the open paragraph (dropping a trailing space): next text starts anew."""
        if self.last_run is not None and self.last_run.text.endswith(" "):
            self.last_run.text = self.last_run.text.rstrip(" ")
        self.paragraph = None
        self.last_run = None
        self.after_space = True

    def open_paragraph(self) -> Any:
        """The paragraph text goes into, starting one in the current style if none is open."""
        if self.paragraph is None:
            self.paragraph = self._new_paragraph(self.style)
        return self.paragraph

    def _new_paragraph(self, style: str | None) -> Any:
        place = self.place
        if place.spare is not None:
            paragraph, place.spare = place.spare, None
            if style:
                paragraph.style = self.document.styles[style]
        else:
            paragraph = place.container.add_paragraph(style=style)
        if place.quote and style is None:
            paragraph.paragraph_format.left_indent = Inches(0.4 * place.quote)
        return paragraph

    # ------------------------------------------------------------------ text

    def text(self, raw: str | None, fmt: _Format) -> None:
        """Write text with the formatting in force, collapsing whitespace unless preserved."""
        if not raw:
            return
        if fmt.preserve:
            self._run(raw, fmt)
            self.after_space = False
            return
        collapsed = SPACES.sub(" ", raw)
        if self.after_space or self.paragraph is None:
            collapsed = collapsed.lstrip(" ")
        if not collapsed:
            return
        self._run(collapsed, fmt)
        self.after_space = collapsed.endswith(" ")

    def _run(self, text: str, fmt: _Format) -> None:
        run = self.open_paragraph().add_run(text)
        self.last_run = run
        run.bold = fmt.bold or None
        run.italic = fmt.italic or None
        run.underline = fmt.underline or None
        if fmt.strike:
            run.font.strike = True
        if fmt.superscript:
            run.font.superscript = True
        if fmt.subscript:
            run.font.subscript = True
        if fmt.mono:
            run.font.name = "Courier New"

    def line_break(self) -> None:
        """A ``<br>``: a new line in the same paragraph."""
        if self.last_run is not None and self.last_run.text.endswith(" "):
            self.last_run.text = self.last_run.text.rstrip(" ")
        self.last_run = self.open_paragraph().add_run()
        self.last_run.add_break()
        self.after_space = True

    # ---------------------------------------------------------------- walking

    def block(self, element: Any, fmt: _Format | None = None) -> None:
        """Write an element's content, its children and their tails."""
        fmt = fmt or _Format()
        self.text(element.text, fmt)
        for child in element:
            self.element(child, fmt)
            self.text(child.tail, fmt)

    def element(self, element: Any, fmt: _Format) -> None:
        """Write one element according to its tag."""
        if not isinstance(element.tag, str) or _hidden(element):
            return
        tag = element.tag.lower()
        if tag in SKIPPED:
            return
        fmt = _format_for(element, tag, fmt)
        handler = getattr(self, f"_tag_{tag}", None)
        if handler is not None:
            handler(element, fmt)
        elif tag in HEADINGS:
            self._styled_block(element, fmt, f"Heading {HEADINGS[tag]}")
        elif tag in BLOCKS:
            self._styled_block(element, fmt, self.style)
        else:
            self.block(element, fmt)

    def _styled_block(self, element: Any, fmt: _Format, style: str | None) -> None:
        self.end_paragraph()
        outer = self.style
        self.style = style
        self.block(element, fmt)
        self.style = outer
        self.end_paragraph()

    # -------------------------------------------------------------- handlers

    def _tag_br(self, element: Any, fmt: _Format) -> None:
        self.line_break()

    def _tag_hr(self, element: Any, fmt: _Format) -> None:
        self.end_paragraph()

    def _tag_pre(self, element: Any, fmt: _Format) -> None:
        self.end_paragraph()
        text = element.text or ""
        if text.startswith("\n"):
            element.text = text[1:]
        self.block(element, replace(fmt, preserve=True, mono=True))
        self.end_paragraph()

    def _tag_blockquote(self, element: Any, fmt: _Format) -> None:
        self.place.quote += 1
        self._styled_block(element, fmt, None)
        self.place.quote -= 1

    def _tag_figcaption(self, element: Any, fmt: _Format) -> None:
        self._styled_block(element, fmt, "Caption")

    def _tag_dd(self, element: Any, fmt: _Format) -> None:
        self.place.quote += 1
        self._styled_block(element, fmt, None)
        self.place.quote -= 1

    def _tag_dt(self, element: Any, fmt: _Format) -> None:
        self._styled_block(element, fmt, None)

    def _tag_dl(self, element: Any, fmt: _Format) -> None:
        self._styled_block(element, fmt, None)

    def _tag_a(self, element: Any, fmt: _Format) -> None:
        self.block(element, replace(fmt, underline=True))
        href = (element.get("href") or "").strip()
        shown = " ".join(element.text_content().split())
        if href.lower().startswith(("http://", "https://", "mailto:")) and href != shown:
            target = href.removeprefix("mailto:")
            if target != shown:
                self.text(f" ({target})", fmt)

    def _tag_ul(self, element: Any, fmt: _Format) -> None:
        self._list(element, fmt, ordered=False)

    def _tag_ol(self, element: Any, fmt: _Format) -> None:
        self._list(element, fmt, ordered=True)

    def _tag_menu(self, element: Any, fmt: _Format) -> None:
        self._list(element, fmt, ordered=False)

    def _list(self, element: Any, fmt: _Format, *, ordered: bool) -> None:
        self.end_paragraph()
        start = _int(element.get("start"), 1)
        self.place.lists.append(_ListLevel(ordered, start))
        self.block(element, fmt)
        self.place.lists.pop()
        self.end_paragraph()

    def _tag_li(self, element: Any, fmt: _Format) -> None:
        self.end_paragraph()
        levels = self.place.lists or [_ListLevel(False)]
        level = levels[-1]
        depth = min(len(levels), 3)
        if level.ordered:
            style = "List Paragraph"
            paragraph = self._new_paragraph(style)
            paragraph.paragraph_format.left_indent = Inches(0.3 * depth)
            number = _int(element.get("value"), level.counter)
            level.counter = number + 1
            paragraph.add_run(f"{number}. ")
        else:
            style = "List Bullet" if depth == 1 else f"List Bullet {depth}"
            paragraph = self._new_paragraph(style)
        self.paragraph, self.last_run, self.after_space = paragraph, None, True
        outer = self.style
        self.style = "List Continue" if depth == 1 else f"List Continue {depth}"
        self.block(element, fmt)
        self.style = outer
        self.end_paragraph()

    def _tag_img(self, element: Any, fmt: _Format) -> None:
        alt = element.get("alt") or ""
        index = element.get(SVG_PLACEHOLDER)
        if index is not None:
            picture, width = _svg_picture(self.svgs[int(index)])
        else:
            picture, width = _image_data(element.get("src") or "")
        if picture is None:
            if alt.strip():
                self.text(f"[Figure: {alt.strip()}]", replace(fmt, italic=True))
            return
        width = _attr_inches(element.get("width")) or width
        width = min(width or USABLE_WIDTH_IN, USABLE_WIDTH_IN)
        run = self.open_paragraph().add_run()
        try:
            shape = run.add_picture(io.BytesIO(picture), width=Inches(width))
        except Exception:  # noqa: BLE001 - an image python-docx cannot read: keep its text
            if alt.strip():
                self.text(f"[Figure: {alt.strip()}]", replace(fmt, italic=True))
            return
        if alt:
            shape._inline.docPr.set("descr", alt)
        self.last_run = None
        self.after_space = False

    def _tag_table(self, element: Any, fmt: _Format) -> None:
        self.end_paragraph()
        caption = element.find("caption")
        if caption is not None and not _hidden(caption):
            self._styled_block(caption, _format_for(caption, "caption", fmt), "Caption")
        rows = list(_table_rows(element))
        grid = _grid(rows)
        if not grid:
            return
        ncols = max(len(r) for r in grid)
        table = self.place.container.add_table(rows=len(grid), cols=ncols)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        self.place.spare = None
        done: set[int] = set()
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                if cell is None or id(cell) in done:
                    continue
                done.add(id(cell))
                span_r, span_c = _spans(grid, r, c, cell)
                target = table.cell(r, c)
                if span_r > 1 or span_c > 1:
                    target = target.merge(table.cell(r + span_r - 1, c + span_c - 1))
                self._cell(target, cell, fmt)
            if row and all(cell is not None and cell.tag == "th" for cell in row):
                _repeat_header(table.rows[r])
        self.end_paragraph()

    def _cell(self, target: Any, cell: Any, fmt: _Format) -> None:
        outer_place, outer_style = self.place, self.style
        self.place = _Place(target, spare=target.paragraphs[0])
        self.paragraph, self.style, self.last_run, self.after_space = None, None, None, True
        cell_fmt = _format_for(cell, cell.tag, fmt)
        if cell.tag == "th":
            cell_fmt = replace(cell_fmt, bold=True)
            _shade(target, "E8EEF5")
        self.block(cell, cell_fmt)
        self.end_paragraph()
        self.place, self.style = outer_place, outer_style

    def _tag_caption(self, element: Any, fmt: _Format) -> None:
        return  # written with its table

    def _tag_progress(self, element: Any, fmt: _Format) -> None:
        value, most = element.get("value"), element.get("max") or "1"
        label = element.get("aria-label") or element.text_content().strip()
        if label:
            self.text(label, fmt)
        elif value is not None:
            self.text(f"{value} of {most}", fmt)

    _tag_meter = _tag_progress


def _hidden(element: Any) -> bool:
    if element.get("hidden") is not None:
        return True
    if HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    return "pk-screen-only" in (element.get("class") or "").split()


def _format_for(element: Any, tag: str, fmt: _Format) -> _Format:
    classes = (element.get("class") or "").split()
    preserve = (fmt.preserve or "user-text" in classes
                or bool(PRESERVE.search(element.get("style") or "")))
    return replace(
        fmt, bold=fmt.bold or tag in BOLD or tag in HEADINGS,
        italic=fmt.italic or tag in ITALIC, underline=fmt.underline or tag in {"u", "ins"},
        mono=fmt.mono or tag in MONO, superscript=fmt.superscript or tag == "sup",
        subscript=fmt.subscript or tag == "sub",
        strike=fmt.strike or tag in {"s", "del", "strike"}, preserve=preserve)


def _int(value: str | None, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _table_rows(table: Any) -> Iterator[Any]:
    """The table's own rows (not those of a table nested in a cell), head first."""
    sections = {"thead": [], "tbody": [], "tfoot": [], "": []}
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            sections[""].append(child)
        elif tag in sections:
            sections[tag].extend(r for r in child if isinstance(r.tag, str) and r.tag == "tr")
    yield from sections["thead"]
    yield from sections[""]
    yield from sections["tbody"]
    yield from sections["tfoot"]


def _grid(rows: list[Any]) -> list[list[Any]]:
    """Lay the cells out on a grid, each spanning cell filling every slot it covers."""
    grid: list[list[Any]] = [[] for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th") or _hidden(cell):
                continue
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            rowspan = max(1, min(_int(cell.get("rowspan"), 1), len(rows) - r))
            colspan = max(1, min(_int(cell.get("colspan"), 1), 50))
            for dr in range(rowspan):
                line = grid[r + dr]
                while len(line) < c + colspan:
                    line.append(None)
                for dc in range(colspan):
                    line[c + dc] = cell
            c += colspan
    width = max((len(line) for line in grid), default=0)
    for line in grid:
        line.extend([None] * (width - len(line)))
    return [line for line in grid if line] if width else []


def _spans(grid: list[list[Any]], r: int, c: int, cell: Any) -> tuple[int, int]:
    span_c = 1
    while c + span_c < len(grid[r]) and grid[r][c + span_c] is cell:
        span_c += 1
    span_r = 1
    while r + span_r < len(grid) and grid[r + span_r][c] is cell:
        span_r += 1
    return span_r, span_c


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell: Any, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


# ---------------------------------------------------------------- images


def _attr_inches(value: str | None) -> float | None:
    if not value:
        return None
    match = LENGTH.match(value)
    if not match:
        return None
    unit = match.group(2).lower() if match.group(2) else None
    return float(match.group(1)) * INCHES_PER[unit]


def _image_data(src: str) -> tuple[bytes | None, float | None]:
    """Decode a ``data:`` URI; other sources are not fetched (nothing leaves the machine)."""
    if not src.startswith("data:") or "," not in src:
        return None, None
    head, payload = src[5:].split(",", 1)
    parts = [p.strip().lower() for p in head.split(";")]
    mime = parts[0]
    try:
        data = (base64.b64decode(payload) if "base64" in parts
                else urllib.parse.unquote_to_bytes(payload))
    except ValueError:
        return None, None
    if mime == "image/svg+xml":
        return _svg_picture(data.decode("utf-8", errors="replace"))
    if mime in ("image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp"):
        return data, None
    return None, None


def _svg_picture(svg: str) -> tuple[bytes | None, float | None]:
    """Draw an SVG to PNG at twice its size; its width in inches comes back with it.

    CairoSVG's safe mode reads ``data:`` URIs only: no files, no network, no entities.
    """
    try:
        import cairosvg
    except (ImportError, OSError):
        return None, None
    width = _svg_width(svg)
    try:
        png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2.0, unsafe=False)
    except Exception:  # noqa: BLE001 - a drawing CairoSVG cannot read stands as its text
        return None, None
    return png, width


def _svg_width(svg: str) -> float | None:
    try:
        root = etree.fromstring(svg.encode("utf-8"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    width = _attr_inches(root.get("width"))
    if width:
        return width
    box = (root.get("viewBox") or "").split()
    if len(box) == 4:
        try:
            return float(box[2]) / 96
        except ValueError:
            return None
    return None


__all__ = ["USABLE_WIDTH_IN", "html_to_docx"]
