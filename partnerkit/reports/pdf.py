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


PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages);
                        font-size: 8pt; color: #555; } }
* { overflow-wrap: break-word !important; }
body { max-width: none !important; margin: 0 !important; padding: 0 !important; }
img, svg { max-width: 100% !important; height: auto !important; }
figure { margin-left: 0; margin-right: 0; }
h1, h2, h3, h4, h5, h6, caption { break-after: avoid; }
tr, figure, img, svg { break-inside: avoid; }
table { font-size: 8.5pt; }
th, td { padding: 0.2em 0.3em !important; }
"""
"""Print defaults added to every report's own styles: A4 with page numbers, drawings
scaled to the page, headings kept with what follows, compact tables. Also
``overflow-wrap: anywhere`` is replaced: it makes WeasyPrint measure a table cell
character by character (minutes for a long line); :func:`breakable` gives such lines
their break points instead."""


LONG_RUN_MIN = 40
LONG_RUN = re.compile(r"[^\s<>&;]{40,}")
MARKUP = re.compile(r"(<(?:style|script)\b.*?</(?:style|script)\s*>|<!--.*?-->|<[^>]*>)",
                    re.S | re.I)
BREAK_EVERY = 20


def breakable(html: str) -> str:
    """Give very long unbroken text (a pasted link, a 5,000-character line) places to wrap.

    A zero-width space goes after every 20 characters of a run of 40 or more without a
    space, in the text of the page only (never in tags, attributes, styles or character
    references). It is invisible, and it spares WeasyPrint a search for a break point
    that takes minutes for such a run in a table cell.
    """
    parts = MARKUP.split(html)
    for index in range(0, len(parts), 2):
        if len(parts[index]) >= LONG_RUN_MIN:
            parts[index] = LONG_RUN.sub(_split_run, parts[index])
    return "".join(parts)


def _split_run(match: re.Match[str]) -> str:
    run = match.group()
    return "\u200b".join(run[i:i + BREAK_EVERY] for i in range(0, len(run), BREAK_EVERY))


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
