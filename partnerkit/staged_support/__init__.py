"""Staged (ASPIRE) support for one pupil, and requests for assistance to partner services.

The workbook calls ``staged_support.planner(s)``, ``staged_support.plan_table(s)`` and
``staged_support.request_view(s)``. Inside: :mod:`.rules` (pure), :mod:`.data` (the plan
and requests as DataFrames with fixed columns; :func:`plan_frame` and
:func:`requests_frame` are also what the mapping tool's pupil pack prints),
:mod:`.report` (HTML through Jinja) and :mod:`.views` (the only module importing
ipywidgets). This package imports no other workbook.

The widget names load on first use (module ``__getattr__``), so the mapping tool's
report can import this package for the plan's tables without loading ipywidgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from partnerkit.staged_support.data import (
    PLAN_COLUMNS,
    REQUEST_COLUMNS,
    check_pupil,
    make_request,
    plan,
    plan_frame,
    requests,
    requests_frame,
)
from partnerkit.staged_support.rules import check_stage, stage_warnings

_VIEWS = ("plan_table", "planner", "request_form", "request_view", "stage_form")


def __getattr__(name: str) -> Any:
    """A widget name from :mod:`.views`, imported on first use."""
    if name not in _VIEWS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.views"), name)


__all__ = [
    "PLAN_COLUMNS", "REQUEST_COLUMNS", "check_pupil", "check_stage", "make_request", "plan",
    "plan_frame", "plan_table", "planner", "request_form", "request_view", "requests",
    "requests_frame", "stage_form", "stage_warnings",
]
