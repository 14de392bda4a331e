"""How a catalog row's report builder is found and called for one target.

The catalog (:mod:`partnerkit.catalog`) says which function builds each workbook's
report. A report function is called with the keywords it declares, taken from:
``store``, ``workspace``, ``names``, ``author``, the target under the row's parameter
name, its kind (``pupil``, ``step``, ``author``) and its aliases (``practitioner`` for an
author), and the notebook's parameters (``data_dir`` ...). A kernel gets the report as
plain values (:class:`Report`) and imports the function itself.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from partnerkit.catalog import Workbook
from partnerkit.errors import ReportUnavailableError


@dataclass(frozen=True)
class Report:
    """What a kernel needs to build one workbook's report: plain values only.

    Attributes:
        workbook: the workbook's name (for messages).
        title: what the report is called ("pupil partnership pack").
        function: the builder as ``"module:name"`` (see :func:`reference`).
        target: the row's target kind.
        parameter: the notebook parameter that carries the target.
        aliases: other keyword names the builder may use for the target.
    """

    workbook: str
    title: str
    function: str
    target: str
    parameter: str
    aliases: tuple[str, ...] = ()

    def unavailable(self, why: str) -> ReportUnavailableError:
        """The error saying this report cannot be made, and why."""
        return ReportUnavailableError(
            f"workbook {self.workbook!r} cannot be rendered: the {self.title} is built by "
            f"{self.function}, but {why}", value=self.workbook,
            fix="render another workbook, or update partnerkit to a version with this report")


def report_of(row: Workbook) -> Report:
    """The plain description of a catalog row's report, which a kernel can rebuild."""
    return Report(workbook=row.name, title=row.report, function=row.builder,
                  target=row.target, parameter=row.parameter, aliases=tuple(row.aliases))


def resolve(row: Workbook) -> Callable[..., str]:
    """The report function of a catalog row; a clear error if it is not there.

    Raises:
        ReportUnavailableError: the row's module or function does not exist.
    """
    return load(report_of(row))


def load(report: Report) -> Callable[..., str]:
    """Import the function a :class:`Report` names (``"module:function"``).

    Raises:
        ReportUnavailableError: the module or the function does not exist.
    """
    module_name, _, name = report.function.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise report.unavailable(f"its module {module_name} does not exist yet") from None
        raise
    function = getattr(module, name, None)
    if not callable(function):
        raise report.unavailable(f"{module_name} has no function {name}() yet")
    return function


def build(report: Report, store: Any, workspace: str, value: Any, *, names: bool = False,
          author: str | None = None, parameters: Mapping[str, Any] | None = None) -> str:
    """The report's HTML for one target (the function gets the keywords it declares)."""
    function = load(report)
    pool: dict[str, Any] = dict(parameters or {})
    pool.update(store=store, workspace=workspace, names=names)
    pool.setdefault("author", author)
    if report.target != "workspace":
        for key in (report.parameter, report.target, *report.aliases):
            pool[key] = value
    return function(**arguments(function, pool, report))


def arguments(function: Callable[..., Any], pool: Mapping[str, Any],
              report: Report) -> dict[str, Any]:
    """The keywords ``function`` declares, from ``pool``; an error names any it lacks.

    Raises:
        ReportUnavailableError: the function needs an argument a render does not have.
    """
    chosen: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in pool:
            chosen[name] = pool[name]
        elif parameter.default is parameter.empty:
            raise report.unavailable(f"it needs an argument {name!r} that a batch render "
                                     "does not have")
    return chosen
