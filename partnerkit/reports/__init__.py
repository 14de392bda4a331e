"""Reports: one Jinja2 template gives HTML, Word and PDF; tables go to CSV and XLSX.

One module per concern:

- :mod:`~partnerkit.reports.html`: the autoescaping Jinja environment and ``render_html``;
- :mod:`~partnerkit.reports.parts`: ``render_part`` for the fragments in ``templates/parts/``;
- :mod:`~partnerkit.reports.text`: how dates and times read;
- :mod:`~partnerkit.reports.marks`: what every page carries (pupil reference or school,
  date, sensitivity marking), written into the report's head for the PDF and Word writers;
- :mod:`~partnerkit.reports.visible`: text every format can hold;
- :mod:`~partnerkit.reports.formats`: the registry of formats (``html``, ``docx``, ``pdf``),
  with one writer each in :mod:`~partnerkit.reports.docx` (pandoc) and
  :mod:`~partnerkit.reports.pdf` (WeasyPrint);
- :mod:`~partnerkit.reports.files`: owner-only report files;
- :mod:`~partnerkit.reports.formulas` and :mod:`~partnerkit.reports.sheets`: CSV and XLSX
  whose cells are never run as formulas.
"""

from partnerkit.reports.files import write_private
from partnerkit.reports.formats import FORMATS, WRITERS, convert_html, html_to_docx, register
from partnerkit.reports.formulas import FORMULA_PREFIXES, neutralise_formula
from partnerkit.reports.html import environment, render_html, sources
from partnerkit.reports.pdf import PRINT_CSS, breakable, html_to_pdf
from partnerkit.reports.sheets import csv_text, write_csv, write_xlsx
from partnerkit.reports.text import aware, format_date, format_moment, format_stamp
from partnerkit.reports.visible import visible_text

__all__ = [
    "FORMATS", "FORMULA_PREFIXES", "PRINT_CSS", "WRITERS", "aware", "breakable",
    "convert_html", "environment", "format_date", "format_moment", "format_stamp",
    "html_to_docx", "html_to_pdf", "neutralise_formula", "register", "render_html",
    "csv_text", "sources", "visible_text", "write_csv", "write_private", "write_xlsx",
]
