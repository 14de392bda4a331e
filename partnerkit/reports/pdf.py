"""Report HTML printed to PDF with WeasyPrint: A4, page numbers, nothing fetched from outside."""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from typing import Any

from partnerkit import paths
from partnerkit.reports.visible import visible_text


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Print report HTML to PDF with WeasyPrint (A4, the template's print styles).

    Very long unbroken text is given invisible break points (see :func:`breakable`).

    Only ``data:`` URIs and files among the shipped templates are read while printing:
    nothing from the network or elsewhere on the disk, whatever the HTML says.
    """
    import weasyprint

    _quiet("weasyprint")
    _quiet("fontTools")
    document = weasyprint.HTML(string=breakable(visible_text(html)),
                               base_url=base_url or str(paths.templates_dir()) + os.sep,
                               url_fetcher=_report_fetcher())
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=PRINT_CSS)])


MARGINS_MM = (16, 14, 18, 14)
"""The page margins in millimetres (top, right, bottom, left); the footer sits in the bottom one."""
WIDE_TABLE_COLUMNS = 8
"""A table with this many columns or more is printed on landscape pages, at equal widths."""

_MARGIN = " ".join(f"{mm}mm" for mm in MARGINS_MM)
_WIDE = f"tr > :nth-child({WIDE_TABLE_COLUMNS})"
PRINT_CSS = f"""
@page {{ size: A4; margin: {_MARGIN};
        @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                        font-size: 8pt; color: #555; }} }}
@page landscape {{ size: A4 landscape; }}
* {{ overflow-wrap: break-word !important; hyphens: manual !important; }}
body {{ max-width: none !important; margin: 0 !important; padding: 0 !important; }}
img, svg {{ max-width: 100% !important; height: auto !important; }}
figure {{ margin-left: 0; margin-right: 0; }}
h1, h2, h3, h4, h5, h6, caption {{ break-after: avoid; }}
tr, figure, img, svg {{ break-inside: avoid; }}
table {{ font-size: 8.5pt; }}
th, td {{ padding: 0.2em 0.3em !important; }}
section:has(table {_WIDE}), table:has({_WIDE}) {{ page: landscape; }}
table:has({_WIDE}) {{ table-layout: fixed; width: 100% !important; }}
"""
"""Print defaults added to every report's own styles: A4 with page numbers, drawings
scaled to the page, headings kept with what follows, compact tables.

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
