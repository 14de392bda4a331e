"""Reports from the Jinja2 templates in ``templates/``: one template gives HTML, Word and PDF.

Every template autoescapes: user text is shown as typed, never read as markup or as
template code (it is data in the context, not part of the template). Characters no
document format can hold (control characters other than tab and line breaks) are shown
by their code (U+0007 as ``[U+0007]``), the same in every format.
:func:`html_to_pdf` prints the HTML with WeasyPrint; :func:`html_to_docx` writes the same
content with python-docx (see :mod:`partnerkit.reports.htmldocx`). Values written to CSV or XLSX
that a spreadsheet would run as a formula are neutralised. Report files are written
owner-only (0600).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from partnerkit import paths
from partnerkit.content import load_content

FORMATS = ("html", "docx", "pdf")
"""The report formats partnerkit writes, by file extension."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet read a cell as a formula (with full-width forms)."""


def _visible_table() -> dict[int, str]:
    codes = [c for c in range(0x20) if c not in (9, 10, 13)]
    codes += [0x7F, *range(0x80, 0xA0), 0xFFFE, 0xFFFF]
    return {code: f"[U+{code:04X}]" for code in codes}


VISIBLE = _visible_table()
SURROGATES = re.compile("[\ud800-\udfff]")


def visible_text(text: str) -> str:
    """Text every format can hold, shown as typed: invisible control characters are named.

    Tab, line feed and carriage return stay as they are. Other control characters
    (C0, DEL, C1), U+FFFE/U+FFFF and lone surrogates, which XML (and so Word) cannot
    store and fonts do not draw, are written as their code, ``[U+0007]``, alike in
    HTML, Word and PDF.
    """
    text = text.translate(VISIBLE)
    if SURROGATES.search(text):
        text = SURROGATES.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    return text


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible_text(value)
    return value


def environment() -> jinja2.Environment:
    """The Jinja2 environment over the shipped templates, autoescaping everything."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates_dir())),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, finalize=_finalize)
    env.filters["date"] = lambda d: d.strftime("%-d %B %Y") if d else ""
    return env


def sources(framework_ids: list[str]) -> list[dict[str, str]]:
    """The source documents of the frameworks a report draws on, for its footer."""
    content = load_content()
    return [content.frameworks[f].source.model_dump() | {"framework": content.frameworks[f].title}
            for f in framework_ids]


def render_html(template: str, *, workspace: str, frameworks: list[str],
                title: str, **context: Any) -> str:
    """Render a report template with the common header: date, workspace and sources."""
    return visible_text(environment().get_template(template).render(
        title=title, workspace=workspace, generated=dt.date.today(),
        sources=sources(frameworks), **context))


def write_private(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write a report file readable by its owner only (0600), replacing any old one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload)
    finally:
        os.close(fd)
    os.chmod(target, 0o600)
    return target


# ------------------------------------------------------------------ formats


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


LONG_RUN_MIN = 40


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


def html_to_docx(html: str) -> bytes:
    """Write report HTML as a Word document (see :mod:`partnerkit.reports.htmldocx`)."""
    from partnerkit.reports.htmldocx import html_to_docx as convert

    return convert(html)


def convert_html(html: str, format: str) -> bytes:  # noqa: A002 - the user's word
    """The report in one of :data:`FORMATS`: the HTML itself, Word or PDF."""
    if format == "html":
        return visible_text(html).encode("utf-8")
    if format == "docx":
        return html_to_docx(html)
    if format == "pdf":
        return html_to_pdf(html)
    from partnerkit.errors import PartnerkitError

    raise PartnerkitError("is not a report format partnerkit writes", value=format,
                          where="format", fix=f"use one of {', '.join(FORMATS)}")


# ------------------------------------------------------------- spreadsheets


def neutralise_formula(value: Any) -> Any:
    """A cell value a spreadsheet shows as typed, never runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), a tab or a
    carriage return gets a leading single quote; anything else comes back unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _table_rows(table: Any, columns: Sequence[str] | None) -> tuple[list[str], list[list[Any]]]:
    """Header and rows from a DataFrame, a list of mappings or a list of sequences."""
    if hasattr(table, "columns") and hasattr(table, "itertuples"):
        header = [str(c) for c in (columns or list(table.columns))]
        frame = table[list(columns)] if columns else table
        return header, [list(row) for row in frame.itertuples(index=False, name=None)]
    rows = list(table)
    if rows and isinstance(rows[0], Mapping):
        header = list(columns or dict.fromkeys(k for row in rows for k in row))
        return header, [[row.get(c, "") for c in header] for row in rows]
    return list(columns or []), [list(row) for row in rows]


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    try:
        if value != value:  # NaN and pandas' missing values
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def write_csv(path: str | os.PathLike[str], table: Iterable[Any], *,
              columns: Sequence[str] | None = None) -> Path:
    """Write a table to a CSV file (UTF-8 with BOM for Excel), owner-only, formulas neutralised.

    Args:
        path: the file to write.
        table: a DataFrame, a list of dicts, or a list of rows (then pass ``columns``).
        columns: the header and column order (default: the table's own).
    """
    header, rows = _table_rows(table, columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow([neutralise_formula(visible_text(h)) for h in header])
    for row in rows:
        writer.writerow([neutralise_formula(_spreadsheet_value(v)) for v in row])
    return write_private(path, "\ufeff" + buffer.getvalue())


def _spreadsheet_value(value: Any) -> Any:
    value = _cell_text(value)
    if isinstance(value, str):
        return visible_text(value)
    return value


def write_xlsx(path: str | os.PathLike[str], table: Iterable[Any], *,
               columns: Sequence[str] | None = None, sheet: str = "Report") -> Path:
    """Write a table to an XLSX file, owner-only; text that looks like a formula stays text.

    Such text is stored as a string cell with Excel's quote prefix (what typing a leading
    ``'`` does), so the sheet shows it as typed and never calculates it.
    """
    from openpyxl import Workbook

    header, rows = _table_rows(table, columns)
    book = Workbook()
    ws = book.active
    ws.title = visible_text(sheet)[:31] or "Report"
    for r, row in enumerate([header, *rows] if header else rows, start=1):
        for c, value in enumerate(row, start=1):
            _set_xlsx_cell(ws.cell(row=r, column=c), _spreadsheet_value(value))
    buffer = io.BytesIO()
    book.save(buffer)
    return write_private(path, buffer.getvalue())


def _set_xlsx_cell(cell: Any, value: Any) -> None:
    if isinstance(value, (dt.datetime, dt.date)) and getattr(value, "tzinfo", None):
        value = value.replace(tzinfo=None)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if neutralise_formula(value) is not value:
            cell.quotePrefix = True
        return
    cell.value = value
