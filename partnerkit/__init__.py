"""partnerkit: guided workbooks for schools and partners working together on attendance.

The public API, imported on first use so that ``import partnerkit`` stays quick:
``load_content`` (the frameworks), ``open_store`` / ``Store`` (the answers),
``record_form`` (the form engine), ``start`` (a workbook's session), ``create_demo``,
and one package per workbook (``mapping_tool``, ``six_steps``, ``principles``,
``collaborative_working``, ``staged_support``, ``reflective_log``, ``attendance``) above
the shared floors (``forms``, ``reports``, ``records``, ``store``, ``content``) and the doors
(``render``, ``serve``, ``demo``).
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_NAMES = {
    "load_content": "partnerkit.content",
    "open_store": "partnerkit.store",
    "Store": "partnerkit.store",
    "record_form": "partnerkit.forms",
    "start": "partnerkit.session",
    "create_demo": "partnerkit.demo",
    "PartnerkitError": "partnerkit.errors",
}
_MODULES = {"mapping_tool", "six_steps", "principles", "collaborative_working",
            "reflective_log", "staged_support", "attendance", "reports", "render", "serve",
            "session", "page", "records", "content", "store", "forms", "demo", "errors",
            "catalog"}

__all__ = ["__version__", *_NAMES, *sorted(_MODULES)]


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(import_module(_NAMES[name]), name)
    if name in _MODULES:
        return import_module(f"partnerkit.{name}")
    raise AttributeError(f"module 'partnerkit' has no attribute {name!r}")
