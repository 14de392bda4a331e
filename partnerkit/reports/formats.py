"""The report formats partnerkit writes, one writer each, behind one small registry.

As nbconvert's exporters: a format's name (its file extension) maps to a writer that
turns report HTML into the file's bytes. ``html`` is the page itself, ``docx`` goes
through pandoc (:mod:`partnerkit.reports.docx`), ``pdf`` through WeasyPrint
(:mod:`partnerkit.reports.pdf`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnerkit.errors import PartnerkitError
from partnerkit.reports.pdf import html_to_pdf
from partnerkit.reports.visible import visible_text

Writer = Callable[[str], bytes]
"""A format's writer: report HTML in, the file's bytes out."""

WRITERS: dict[str, Writer] = {}
"""Every format's writer, by file extension."""


def register(name: str, writer: Writer) -> Writer:
    """Add (or replace) the writer of a format, named by its file extension."""
    WRITERS[name] = writer
    return writer


def html_bytes(html: str) -> bytes:
    """The report page itself, as UTF-8."""
    return visible_text(html).encode("utf-8")


register("html", html_bytes)
def html_to_docx(*args: Any, **kwargs: Any) -> Any:
    """The Word writer (:func:`partnerkit.reports.docx.html_to_docx`), imported when used.

    python-docx is only loaded by a kernel that writes a Word file, not by every page.
    """
    from partnerkit.reports.docx import html_to_docx as write

    return write(*args, **kwargs)


register("docx", html_to_docx)
register("pdf", html_to_pdf)

FORMATS = tuple(WRITERS)
"""The report formats partnerkit writes, by file extension: html, docx, pdf."""


def convert_html(html: str, format: str) -> bytes:  # noqa: A002 - the user's word
    """The report in one of :data:`FORMATS`: the HTML itself, Word or PDF.

    An unknown format raises :class:`~partnerkit.errors.PartnerkitError` naming the
    formats there are.
    """
    writer = WRITERS.get(format)
    if writer is None:
        raise PartnerkitError("is not a report format partnerkit writes", value=format,
                              where="format", fix=f"use one of {', '.join(WRITERS)}")
    return writer(html)
