"""A practitioner's reflective log: every entry with its timestamps and history, and export.

The workbook calls ``reflective_log.log_table(s)``, ``reflective_log.log_view(s)``,
``reflective_log.export(s)`` and, for the trainer, ``reflective_log.shared_with_you(s)``;
``partnerkit render`` calls :func:`log_html` for the reflective_log and
collaborative_working workbooks. Inside: :mod:`.data` (entries and their history, a
DataFrame with fixed columns), :mod:`.report` (the document in HTML, Word and PDF) and
:mod:`.views` (the only module importing ipywidgets).

The widget names load on first use (module ``__getattr__``), so a batch render that
imports :func:`log_html` does not load ipywidgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from partnerkit.reflective_log.data import (
    LOG_COLUMNS,
    LogItem,
    LogVersion,
    log_entries,
    log_frame,
    sharing,
)
from partnerkit.reflective_log.report import FORMATS, export_log, log_docx, log_html, log_pdf

_VIEWS = ("SharedLogs", "export", "is_trainer", "log_table", "log_view", "shared_with_you")
_CPD_VIEWS = ("CpdExport", "SignOffForm", "cpd_export", "sign_off_form")


def __getattr__(name: str) -> Any:
    """A widget name from :mod:`.views` or :mod:`.views_cpd`, imported on first use."""
    if name in _CPD_VIEWS:
        return getattr(import_module(f"{__name__}.views_cpd"), name)
    if name not in _VIEWS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.views"), name)


__all__ = [
    "FORMATS", "LOG_COLUMNS", "LogItem", "LogVersion", "SharedLogs", "export", "export_log",
    "is_trainer", "log_docx", "log_entries", "log_frame", "log_html", "log_pdf", "log_table",
    "log_view", "shared_with_you", "sharing", *_CPD_VIEWS,
]
