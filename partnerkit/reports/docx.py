"""Report HTML to a Word document through pandoc, with partnerkit's reference document.

pandoc (``pypandoc-binary``) reads the HTML a report template produced and writes Word:
headings, paragraphs, bold/italic/code, bulleted and numbered lists (nested, with their
start numbers), tables (merged cells, repeated heading rows), captions, links and
pictures. ``reference.docx`` (built by ``scripts/make_reference_docx.py``) gives the page:
A4, 20 mm margins, Arial, the reports' heading colour, a grid table style, a page header
and a "Page N of M" footer.

Before pandoc, :func:`prepare` fixes what pandoc's HTML reader would lose or should not
see: inline SVG drawings are drawn to PNG (pandoc would embed an SVG only newer Word
shows, with its ``viewBox`` lowercased); a picture that is not a ``data:`` URI stands as
``[Figure: its text]`` (nothing is fetched: pandoc also runs ``--sandbox``); a
``<progress>`` or ``<meter>`` stands as its label; ``<main>``
becomes a plain block (pandoc reads only a ``<main>`` when there is one, losing the
report's title and sources); hidden elements (``hidden``, ``display: none``, class
``pk-screen-only``), scripts, styles and form controls are left out; and in user text
(class ``user-text``, or styled ``white-space: pre…``) line breaks, runs of spaces and
tabs are kept as typed. After pandoc, :func:`finish` puts them back with python-docx,
sets the document's title and author (the school), writes the report's marks
(:mod:`~partnerkit.reports.marks`) and title into the page header and the date into
the footer.
"""

from __future__ import annotations

import base64
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import pypandoc
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import html as lxml_html

from partnerkit.reports.drawings import PLACEHOLDER, css_pixels, lift_svgs, picture, svg_png
from partnerkit.reports.marks import PageMarks, read_marks
from partnerkit.reports.visible import visible_text

REFERENCE = Path(__file__).with_name("reference.docx")
"""The reference document: page size, margins, styles, header and footer of every report."""
USABLE_WIDTH_PX = (210 - 2 * 20) / 25.4 * 96
"""CSS pixels between the margins of an A4 page: the widest a picture may be."""
TABLE_POINTS = 9
"""The size of table text: a wide table (eleven columns of attendance) stays readable."""
SPACE, TAB = "\ufdd0", "\ufdd1"
"""Stand-ins for the spaces and tabs of user text while pandoc (which collapses them) runs."""
SKIPPED = {"head", "title", "style", "script", "template", "noscript", "meta", "link",
           "button", "input", "select", "option", "textarea", "iframe", "object", "embed",
           "video", "audio", "canvas", "map", "area"}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)
PRESERVE = re.compile(r"white-space\s*:\s*(pre|pre-wrap|pre-line|break-spaces)", re.I)


def html_to_docx(html: str) -> bytes:
    """Turn report HTML into the bytes of a .docx file with the same content.

    Args:
        html: a complete page or a fragment, as a report template renders it.

    Returns:
        The Word document (A4, 2 cm margins), titled from the page's ``<title>``. Every
        page's header holds the sensitivity marking, the pupil reference (or the
        workspace's title) and the title; its footer the date produced and "Page N of M"
        (Word's PAGE and NUMPAGES fields). The school is the document's author.
    """
    page, title = prepare(html)
    with tempfile.TemporaryDirectory(prefix="partnerkit-docx-") as folder:
        target = Path(folder) / "report.docx"
        pypandoc.convert_text(page, "docx", format="html", outputfile=str(target),
                              extra_args=["--sandbox", "--quiet",
                                          f"--reference-doc={REFERENCE}"])
        return finish(target.read_bytes(), title, read_marks(html))


def prepare(html: str) -> tuple[str, str]:
    """The HTML pandoc should read, and the page's title (see the module's notes)."""
    html, svgs = lift_svgs(visible_text(html))
    if not html.strip():
        return "<p></p>", ""
    root = lxml_html.document_fromstring(html)
    title = " ".join((root.findtext(".//title") or "").split())
    _drop_unshown(root)
    for main in root.iter("main"):
        main.tag = "div"
    _pictures(root, svgs)
    _gauges(root)
    for element in list(root.iter()):
        if _preserved(element):
            _mark_whitespace(element)
    return lxml_html.tostring(root, encoding="unicode"), title


def _drop_unshown(root: Any) -> None:
    for element in list(root.iter()):
        if element is root:
            continue
        if not isinstance(element.tag, str) or element.tag in SKIPPED or _hidden(element):
            element.drop_tree()


def _hidden(element: Any) -> bool:
    if element.get("hidden") is not None:
        return True
    if HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    return "pk-screen-only" in (element.get("class") or "").split()


def _pictures(root: Any, svgs: list[str]) -> None:
    """Each picture as a PNG/JPEG/GIF ``data:`` URI at most a page wide, or its text."""
    for image in list(root.iter("img")):
        index = image.get(PLACEHOLDER)
        if index is not None:
            data, width = svg_png(svgs[int(index)])
            mime = "image/png"
        else:
            data, mime, width = picture(image.get("src") or "")
        if data is None:
            _stand_in(image)
            continue
        width = css_pixels(image.get("width")) or width
        for attribute in (PLACEHOLDER, "style", "height", "width", "srcset"):
            image.attrib.pop(attribute, None)
        image.set("src", f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}")
        if width:
            image.set("width", f"{min(width, USABLE_WIDTH_PX):.0f}")


def _gauges(root: Any) -> None:
    """A ``<progress>`` or ``<meter>`` stands as its label, or as "3 of 5"."""
    for gauge in list(root.iter("progress", "meter")):
        label = gauge.get("aria-label") or " ".join(gauge.text_content().split())
        if not label and gauge.get("value") is not None:
            label = f"{gauge.get('value')} of {gauge.get('max') or '1'}"
        text = lxml_html.Element("span")
        text.text, text.tail = label, gauge.tail
        gauge.getparent().replace(gauge, text)


def _stand_in(image: Any) -> None:
    """A picture Word cannot have (fetched from elsewhere, unreadable) stands as its text."""
    alt = (image.get("alt") or "").strip()
    if not alt:
        image.drop_tree()
        return
    text = lxml_html.Element("em")
    text.text = f"[Figure: {alt}]"
    text.tail = image.tail
    image.getparent().replace(image, text)


def _preserved(element: Any) -> bool:
    if not isinstance(element.tag, str) or element.tag == "pre":
        return False  # pandoc keeps a <pre> as typed already
    return ("user-text" in (element.get("class") or "").split()
            or bool(PRESERVE.search(element.get("style") or "")))


def _mark_whitespace(element: Any) -> None:
    """Line breaks become ``<br>``; spaces and tabs their stand-ins, until :func:`finish`."""
    inner = list(element.iterdescendants())
    _break_text(element)
    for child in inner:
        if isinstance(child.tag, str):
            _break_text(child)
        _break_tail(child)


def _marked_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace(" ", SPACE).replace("\t", TAB).split("\n")


def _break_text(element: Any) -> None:
    if not element.text:
        return
    first, *rest = _marked_lines(element.text)
    element.text = first
    for position, line in enumerate(rest):
        br = lxml_html.Element("br")
        br.tail = line
        element.insert(position, br)


def _break_tail(element: Any) -> None:
    if not element.tail:
        return
    first, *rest = _marked_lines(element.tail)
    element.tail = first
    parent = element.getparent()
    at = parent.index(element)
    for offset, line in enumerate(rest, start=1):
        br = lxml_html.Element("br")
        br.tail = line
        parent.insert(at + offset, br)


def finish(data: bytes, title: str, marks: PageMarks | None = None) -> bytes:
    """Finish pandoc's Word file: user text's spaces and tabs back, the title set and shown.

    The title and author (the school, from ``marks``; never "python-docx") go in the
    document's properties; the marks and title in the page header, the date before the
    footer's page numbers; table rows are kept on one page in 9 pt text; pictures lose
    pandoc's copy of their ``data:`` URI.
    """
    document = Document(io.BytesIO(data))
    properties = document.core_properties
    properties.title = title[:255]
    properties.author = properties.last_modified_by = marks.author[:255] if marks else ""
    for section in document.sections:
        _page_marks(section, title, marks)
    _restore_whitespace(document.element.body)
    _drop_sources_from_pictures(document.element.body)
    _fit_pictures(document)
    _compact_tables(document.element.body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_marks(section: Any, title: str, marks: PageMarks | None) -> None:
    """The header's marking, reference and title; the footer's date before "Page N of M"."""
    for paragraph in section.header.paragraphs[:1]:
        if marks:
            _grey_run(paragraph.add_run(marks.marking)).bold = True
            _grey_run(paragraph.add_run(f" · {marks.reference} · "))
        _grey_run(paragraph.add_run(title))
    if marks and marks.produced:
        for paragraph in section.footer.paragraphs[:1]:
            first = paragraph.runs[0]._r if paragraph.runs else None
            run = _grey_run(paragraph.add_run(f"Produced {marks.produced} · "))
            if first is not None:
                first.addprevious(run._r)


def _grey_run(run: Any) -> Any:
    run.font.size, run.font.color.rgb = Pt(8), RGBColor(0x44, 0x44, 0x44)
    return run


def _compact_tables(body: Any) -> None:
    """Table text at 9 pt, and no row split over two pages (as the PDF prints them)."""
    for row in body.iter(qn("w:tr")):
        properties = row.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            properties.insert(0, OxmlElement("w:cantSplit"))
    for table in body.iter(qn("w:tbl")):
        for run in table.iter(qn("w:r")):
            run.get_or_add_rPr().sz_val = Pt(TABLE_POINTS)


PICTURE_PAGE_SHARE = 0.7
"""The most of a page's text height a picture takes: its heading stays on its page."""
CELL_MARGINS = Mm(4)
"""What a figure's table cell keeps beside a picture (Word's default cell margins and more)."""


def _fit_pictures(document: Any) -> None:
    """Every picture fits the page's text width (figure tables widened to it) and height.

    pandoc puts a captioned figure in a one-cell table 5.5 inches wide, narrower than an
    A4 page's text; a picture as wide as the text then ran past the cell and was cut
    off at the right. Each figure table is made as wide as the text, and each picture
    is scaled down (its shape kept) to that width less the cell's margins and to
    :data:`PICTURE_PAGE_SHARE` of the text height.
    """
    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    body = document.element.body
    for table in body.iter(qn("w:tbl")):
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        if style is not None and style.get(qn("w:val")) == "FigureTable":
            _widen_table(table, width)
    for inline in body.iter(qn("wp:inline")):
        _shrink_picture(inline, width - CELL_MARGINS, int(height * PICTURE_PAGE_SHARE))


def _widen_table(table: Any, width: int) -> None:
    """Set a one-column table's width and its column's to ``width`` (EMU)."""
    twips = str(int(width / 635))
    table_width = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    if table_width is not None:
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), twips)
    for column in table.iter(qn("w:gridCol")):
        column.set(qn("w:w"), twips)


def _shrink_picture(inline: Any, most_wide: int, most_high: int) -> None:
    """Scale one inline picture down to fit ``most_wide`` by ``most_high`` (EMU)."""
    extent = inline.find(qn("wp:extent"))
    if extent is None:
        return
    cx, cy = int(extent.get("cx")), int(extent.get("cy"))
    scale = min(1.0, most_wide / cx if cx else 1.0, most_high / cy if cy else 1.0)
    if scale >= 1.0:
        return
    new = {"cx": str(int(cx * scale)), "cy": str(int(cy * scale))}
    for element in (extent, *inline.iter(qn("a:ext"))):
        element.set("cx", new["cx"])
        element.set("cy", new["cy"])


def _drop_sources_from_pictures(body: Any) -> None:
    """Drop the copy of a picture's whole ``data:`` URI pandoc writes as its inner description.

    The picture's text alternative (``wp:docPr``'s description) stays.
    """
    for name in body.iter(qn("pic:cNvPr")):
        if (name.get("descr") or "").startswith("data:"):
            del name.attrib["descr"]


def _restore_whitespace(body: Any) -> None:
    for text in list(body.iter(qn("w:t"))):
        value = text.text or ""
        if SPACE not in value and TAB not in value:
            continue
        first, *rest = value.replace(SPACE, " ").split(TAB)
        text.text = first
        text.set(qn("xml:space"), "preserve")
        anchor = text
        for piece in rest:
            tab, after = OxmlElement("w:tab"), OxmlElement("w:t")
            after.set(qn("xml:space"), "preserve")
            after.text = piece
            anchor.addnext(tab)
            tab.addnext(after)
            anchor = after
