"""Build ``partnerkit/reports/reference.docx``: the page and styles of every Word report.

pandoc takes a Word file's styles, page size, margins, header and footer from a
reference document (``--reference-doc``). This script starts from pandoc's own default
reference (so every style pandoc uses is there) and sets what partnerkit's reports look
like: A4, 20 mm margins, Arial, headings in the reports' blue, tables with a grid and a
shaded heading row, a page header (each report writes its sensitivity marking, pupil
reference or school and title into it) and a footer with "Page N of M" (the report puts
the date it was produced before it), as the PDF has.

Run it again after changing it, and commit the new file::

    python3 scripts/make_reference_docx.py
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TARGET = Path(__file__).resolve().parent.parent / "partnerkit" / "reports" / "reference.docx"
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x44, 0x44, 0x44)
HEADINGS = {1: 18, 2: 14, 3: 12, 4: 11, 5: 11, 6: 11}


def pandoc_default() -> bytes:
    """Pandoc's own reference document, with every style its Word writer uses."""
    return subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file",
                           "reference.docx"], check=True, capture_output=True).stdout


def set_page(document) -> None:
    """A4 portrait with 20 mm margins, the header and footer 10 mm from the edge."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    section.header_distance = section.footer_distance = Mm(10)


def set_text_styles(document) -> None:
    """Arial throughout; body 11 pt; headings bold in the reports' blue."""
    styles = document.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        font = styles[name].font
        font.name, font.size = "Arial", Pt(11)
        _ascii_fonts(styles[name])
    for level, size in HEADINGS.items():
        style = styles[f"Heading {level}"]
        style.font.name, style.font.size, style.font.bold = "Arial", Pt(size), True
        style.font.color.rgb = BLUE
        _ascii_fonts(style)
    for name in ("Table Caption", "Image Caption"):
        styles[name].font.size = Pt(10)
        styles[name].font.italic = True


def _ascii_fonts(style) -> None:
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Arial")
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


def set_table_style(document) -> None:
    """The "Table" style pandoc uses: a thin grey grid, cell padding, the first row shaded bold."""
    style = document.styles["Table"].element
    table_pr = style.find(qn("w:tblPr"))
    if table_pr is None:
        table_pr = OxmlElement("w:tblPr")
        style.append(table_pr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "999999")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    table_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", "40"), ("left", "80"), ("bottom", "40"), ("right", "80")):
        cell = OxmlElement(f"w:{edge}")
        cell.set(qn("w:w"), width)
        cell.set(qn("w:type"), "dxa")
        margins.append(cell)
    table_pr.append(margins)
    for old in style.findall(qn("w:tblStylePr")):
        style.remove(old)
    style.append(_first_row())


def add_figure_table_style(document) -> None:
    """Give the one-cell table ("FigureTable") pandoc sets a captioned picture in no grid."""
    if "Figure Table" not in [style.name for style in document.styles]:
        style = document.styles.add_style("Figure Table", WD_STYLE_TYPE.TABLE)
        style.element.set(qn("w:styleId"), "FigureTable")


def _first_row():
    part = OxmlElement("w:tblStylePr")
    part.set(qn("w:type"), "firstRow")
    run = OxmlElement("w:rPr")
    run.append(OxmlElement("w:b"))
    part.append(run)
    cell = OxmlElement("w:tcPr")
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", "E8EEF5")):
        shading.set(qn(f"w:{key}"), value)
    cell.append(shading)
    part.append(cell)
    return part


def set_header_and_footer(document) -> None:
    """An empty header paragraph (the marks and title go in per report) and "Page N of M"."""
    section = document.sections[0]
    section.header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"] if "Header" in document.styles else None
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for piece in ("Page ", "PAGE", " of ", "NUMPAGES"):
        if piece.isupper():
            _field(footer, piece)
        else:
            _grey(footer.add_run(piece))


def _grey(run):
    """A run in the footer's small grey type."""
    run.font.size, run.font.color.rgb = Pt(8), GREY
    return run


def _field(paragraph, instruction: str) -> None:
    """A field Word and LibreOffice fill in when they lay out the page (PAGE, NUMPAGES).

    Each part of the field (begin, instruction, separator, shown value, end) is a run of
    its own in the footer's type, as Word writes them: LibreOffice shows the page number
    in that type (with all parts in one run it used the paragraph's larger default).
    """
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("text", "1"), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        _grey(paragraph.add_run())._r.append(element)


def build() -> bytes:
    """The reference document's bytes."""
    document = Document(io.BytesIO(pandoc_default()))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)  # pandoc ignores the content; keep only the page set-up
    set_page(document)
    set_text_styles(document)
    set_table_style(document)
    add_figure_table_style(document)
    set_header_and_footer(document)
    document.core_properties.title = "partnerkit report"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> int:
    """Write the reference document next to the Word writer."""
    TARGET.write_bytes(build())
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
