"""The audit trail workbook: the data-protection lead views, filters and exports the trail.

The workbook calls ``audit_trail.trail_view(s)``; ``partnerkit render audit_trail``
calls :func:`trail_html`. Inside: :mod:`.data` (the entries as a DataFrame with fixed
columns, the filters checked), :mod:`.report` (the trail as a document, CSV and the
anchor file) and :mod:`.views` (the only module importing ipywidgets). Who may see the
trail is :class:`partnerkit.access.AuditTrailAccess`'s rule; every view of it is audited.

The widget names load on first use, so a batch render does not load ipywidgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from partnerkit.audit_trail.data import COLUMNS, Filters, trail_frame
from partnerkit.audit_trail.report import anchor_json, trail_csv, trail_html

_VIEWS = ("TrailView", "trail_view")

__all__ = ["COLUMNS", "Filters", "anchor_json", "trail_csv", "trail_frame", "trail_html",
           *_VIEWS]


def __getattr__(name: str) -> Any:
    if name in _VIEWS:
        return getattr(import_module("partnerkit.audit_trail.views"), name)
    raise AttributeError(f"module 'partnerkit.audit_trail' has no attribute {name!r}")
