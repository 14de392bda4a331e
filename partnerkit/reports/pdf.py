"""Report HTML printed to tagged PDF with WeasyPrint: A4, page marks, nothing fetched."""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from typing import Any

from partnerkit import paths
from partnerkit.reports.marks import PageMarks, read_marks
from partnerkit.reports.visible import visible_text


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Print report HTML to PDF with WeasyPrint (A4, the template's print styles).

    The PDF is tagged as PDF/UA-1 asks (a screen reader follows its headings, lists and
    tables), with the page's title, language (``<html lang>``) and author (the school)
    in its metadata. Every page carries the report's marks (:func:`marks_css`): the
    pupil reference or workspace title and the sensitivity marking at the top, the date
    and "Page X of Y" at the foot. Very long unbroken text is given invisible break
    points (see :func:`breakable`).

    Only ``data:`` URIs and files among the shipped templates are read while printing:
    nothing from the network or elsewhere on the disk, whatever the HTML says.
    """
    import weasyprint

    _quiet("weasyprint")
    _quiet("fontTools")
    document = weasyprint.HTML(string=breakable(visible_text(html)),
                               base_url=base_url or str(paths.templates_dir()) + os.sep,
                               url_fetcher=_report_fetcher())
    styles = [weasyprint.CSS(string=PRINT_CSS + marks_css(read_marks(html)))]
    return document.write_pdf(stylesheets=styles, pdf_variant=PDF_VARIANT)


PDF_VARIANT = "pdf/ua-1"
"""WeasyPrint's PDF/UA-1 variant: a tagged PDF (structure tree, reading order) with the
document title shown by viewers and the language in its catalogue."""


def marks_css(marks: PageMarks | None) -> str:
    """The page-margin boxes that put a report's marks on every page (none for a fragment)."""
    if marks is None:
        return ""
    boxes = {"top-left": shorten_mark(marks.reference), "top-right": marks.marking,
             "bottom-left": f"Produced {marks.produced}" if marks.produced else ""}
    rules = " ".join(f"@{box} {{ content: {css_string(text)}; {MARK_STYLE}"
                     f"{' font-weight: bold;' if box == 'top-right' else ''} }}"
                     for box, text in boxes.items() if text)
    return f"@page {{ {rules} }}"


MARGINS_MM = (16, 14, 18, 14)
"""The page margins in millimetres (top, right, bottom, left); the footer sits in the bottom one."""
WIDE_TABLE_COLUMNS = 8
"""A table with this many columns or more is printed on landscape pages, at equal widths."""

MARK_STYLE = "font-size: 8pt; color: #444; vertical-align: middle;"
"""How the marks in the page margins look: small, dark grey (4.5:1 contrast or more)."""

DRAWING_MAX_MM = 200
"""The tallest a drawing prints: a heading and the start of its text fit on its page too."""

_MARGIN = " ".join(f"{mm}mm" for mm in MARGINS_MM)
_WIDE = f"tr > :nth-child({WIDE_TABLE_COLUMNS})"
PRINT_CSS = f"""
@page {{ size: A4; margin: {_MARGIN};
        @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {MARK_STYLE} }} }}
@page landscape {{ size: A4 landscape; }}
* {{ overflow-wrap: break-word !important; hyphens: manual !important; }}
body {{ max-width: none !important; margin: 0 !important; padding: 0 !important; }}
img, svg {{ max-width: 100% !important; height: auto !important; }}
figure {{ margin-left: 0; margin-right: 0; }}
h1, h2, h3, h4, h5, h6, caption {{ break-after: avoid; }}
tr, img, svg, [role="img"] {{ break-inside: avoid; }}
tr:first-child {{ break-after: avoid; }}
img, svg {{ max-height: var(--pk-drawing-max-height, {DRAWING_MAX_MM}mm) !important;
            width: auto; }}
.pk-screen-only {{ display: none !important; }}
table {{ font-size: 8.5pt; }}
th, td {{ padding: 0.2em 0.3em !important; }}
section:has(table {_WIDE}), table:has({_WIDE}) {{ page: landscape; }}
table:has({_WIDE}) {{ table-layout: fixed; width: 100% !important; }}
"""
"""Print defaults added to every report's own styles: A4 with page numbers, drawings
scaled to the page and at most :data:`DRAWING_MAX_MM` tall, headings kept with what
follows (and a table's first row, its headings, with its second), compact tables.

These are user styles (WeasyPrint's ``stylesheets``), whose ``!important`` wins over a
template's own; a template that sizes a drawing to share its page with its text sets
the custom property ``--pk-drawing-max-height`` on an element around it instead (the
map summary's ecomap does).

A figure may break between its drawing and a long caption (the ecomap's description
runs over a page): kept whole, it would be pushed past its heading, leaving a page
with nothing but that heading. Drawings and table rows never break. What is marked
``pk-screen-only`` (the marking atop the page on screen) is left out: the page margins
carry it.

No text may leave the page. A table of :data:`WIDE_TABLE_COLUMNS` or more columns turns
its section (or itself, outside a section) onto landscape pages and shares the width
equally (``table-layout: fixed``), so no content can widen it. Narrower tables keep the
automatic layout, which sizes columns to their text; it never makes a column narrower
than its longest unbreakable piece, which :func:`breakable` keeps short. A long word
breaks where it must (``overflow-wrap: break-word``), never with an added hyphen
(``hyphens: manual``: a pupil reference, code, e-mail address or link prints as typed).
``overflow-wrap: anywhere`` (the template's on screen) is replaced: WeasyPrint measures
a table cell with it character by character (20 s for ten cells of 700 characters,
minutes for 5,000)."""


LONG_RUN_MIN = 16
BREAK_EVERY = 12
TOKEN = r"(?:&[#\w]+;|[^\s<>&])"
LONG_RUN = re.compile(f"{TOKEN}{{{LONG_RUN_MIN},}}")
TOKENS = re.compile(TOKEN)
BREAK_AFTER = frozenset(("&amp;", ".", "@", "/", "?", "=", "_", "-", ":", ",", ";"))
MARKUP = re.compile(r"(<(?:style|script|title)\b.*?</(?:style|script|title)\s*>"
                    r"|<!--.*?-->|<[^>]*>)", re.S | re.I)


def breakable(html: str) -> str:
    """Give long unbroken text (an e-mail address, a link, a 5,000-character line) places to wrap.

    In a run of 16 or more characters without a space, a zero-width space goes after
    each of ``. @ / ? & = _ - : , ;`` (or a row of them) and after every 12 characters
    without one (a
    character reference counts as one character); in the text of the page only, never
    in tags, attributes, styles, the title or inside character references. It is
    invisible and only used where a line must break. It keeps every table column's
    narrowest width small, so a row of long addresses fits the page; an address breaks
    after its dots and slashes where it can; and it spares WeasyPrint a search for a
    break point that takes minutes for such a run in a table cell.
    """
    parts = MARKUP.split(html)
    for index in range(0, len(parts), 2):
        if len(parts[index]) >= LONG_RUN_MIN:
            parts[index] = LONG_RUN.sub(_split_run, parts[index])
    return "".join(parts)


def _split_run(match: re.Match[str]) -> str:
    tokens = TOKENS.findall(match.group())
    out, since = [], 0
    for number, token in enumerate(tokens, 1):
        out.append(token)
        since += 1
        if number == len(tokens):
            break
        if since == BREAK_EVERY or (token in BREAK_AFTER and tokens[number] not in BREAK_AFTER):
            out.append("\u200b")
            since = 0
    return "".join(out)


MARK_MAX = 70
"""The most characters of a reference or title a page's margin holds (the rest is "…")."""


def shorten_mark(text: str) -> str:
    """A reference or title as a page's margin prints it: one line, at most :data:`MARK_MAX`."""
    text = " ".join(text.split())
    return text if len(text) <= MARK_MAX else text[:MARK_MAX - 1] + "…"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: quotes and backslashes escaped, control characters gone."""
    kept = "".join(c if c.isprintable() else " " for c in text)
    return '"' + kept.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quiet(logger_name: str) -> None:
    logger = logging.getLogger(logger_name)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.ERROR)


@lru_cache(maxsize=1)
def _report_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    allowed = paths.templates_dir().resolve().as_uri() + "/"

    class ReportFetcher(URLFetcher):
        """Fetches ``data:`` URIs and shipped template files; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or url.startswith(allowed):
                return super().fetch(url, headers)
            raise ValueError(f"a report does not fetch {url[:80]!r}")

    return ReportFetcher(timeout=5)
