"""Which report each workbook makes in a batch render, and for what kind of target.

A :class:`ReportSpec` names a workbook, the kind of target it is run for (a pupil, a
step, a practitioner, or the whole workspace), the notebook parameter that carries the
target, and the package function that builds the report's HTML. Functions are named
as ``"module:function"`` and imported only when a render needs them, so a feature that
does not exist yet gives a clear error for its own workbook and nothing else.

A report function is called with the keywords it declares, taken from: ``store``,
``workspace``, ``names``, ``author``, ``data_dir``, the target under its parameter name
(``pupil``, ``step``, ``author`` …) and its aliases (``practitioner`` for an author),
and the notebook's parameters.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from partnerkit.errors import ReportUnavailableError

TARGET_KINDS = ("pupil", "step", "author", "workspace")
"""What one run of a workbook is about: its report is one file per target."""


@dataclass(frozen=True)
class ReportSpec:
    """How a batch render makes one workbook's report.

    Attributes:
        workbook: the workbook's name (its file in ``workbooks/`` without ``.ipynb``).
        target: one of :data:`TARGET_KINDS`.
        function: the report builder, ``"partnerkit.mapping_tool:map_summary_html"``.
        title: what the report is called in messages ("pupil partnership pack").
        parameter: the notebook parameter that carries the target (default: the kind).
        aliases: other keyword names the builder may use for the target.
    """

    workbook: str
    target: str
    function: str
    title: str
    parameter: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.target not in TARGET_KINDS:
            raise ValueError(f"target {self.target!r} is not one of {TARGET_KINDS}")
        if not self.parameter and self.target != "workspace":
            object.__setattr__(self, "parameter", self.target)

    def builder(self) -> Callable[..., str]:
        """Import the report function; a clear error if the feature is not there yet."""
        module_name, _, name = self.function.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                raise self._missing(f"its module {module_name} does not exist yet") from None
            raise
        function = getattr(module, name, None)
        if not callable(function):
            raise self._missing(f"{module_name} has no function {name}() yet")
        return function

    def _missing(self, why: str) -> ReportUnavailableError:
        return ReportUnavailableError(
            f"workbook {self.workbook!r} cannot be rendered: the {self.title} is built by "
            f"{self.function}, but {why}", value=self.workbook,
            fix="render another workbook, or update partnerkit to a version with this report")

    def build(self, store: Any, workspace: str, value: Any, *, names: bool = False,
              author: str | None = None, parameters: Mapping[str, Any] | None = None) -> str:
        """The report's HTML for one target."""
        function = self.builder()
        pool: dict[str, Any] = dict(parameters or {})
        pool.update(store=store, workspace=workspace, names=names)
        pool.setdefault("author", author)
        if self.target != "workspace":
            for key in (self.parameter, self.target, *self.aliases):
                pool[key] = value
        return function(**_arguments(function, pool, self))


def _arguments(function: Callable[..., Any], pool: Mapping[str, Any],
               spec: ReportSpec) -> dict[str, Any]:
    """The keywords ``function`` declares, from ``pool``; an error names any it lacks."""
    chosen: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in pool:
            chosen[name] = pool[name]
        elif parameter.default is parameter.empty:
            raise spec._missing(f"it needs an argument {name!r} that a batch render "
                                "does not have")
    return chosen


REGISTRY: dict[str, ReportSpec] = {}
"""Every workbook a batch render knows how to report on, by workbook name."""


def register(spec: ReportSpec) -> ReportSpec:
    """Add (or replace) a workbook's report."""
    REGISTRY[spec.workbook] = spec
    return spec


def spec_for(workbook: str) -> ReportSpec | None:
    """The report spec of a workbook, or None."""
    return REGISTRY.get(workbook)


for _spec in (
    ReportSpec("mapping_tool", "pupil", "partnerkit.mapping_tool:map_summary_html",
               "pupil partnership pack"),
    ReportSpec("six_steps", "step", "partnerkit.six_steps:plan_report_html",
               "school partnership plan"),
    ReportSpec("principles", "workspace", "partnerkit.six_steps:plan_report_html",
               "school partnership plan"),
    ReportSpec("staged_support", "pupil", "partnerkit.mapping_tool:map_summary_html",
               "pupil partnership pack (with the staged support plan)"),
    ReportSpec("reflective_log", "author", "partnerkit.reflective_log:log_html",
               "reflective log", aliases=("practitioner",)),
    ReportSpec("collaborative_working", "author", "partnerkit.reflective_log:log_html",
               "reflective log", aliases=("practitioner",)),
    ReportSpec("attendance", "workspace", "partnerkit.attendance:summary_html",
               "attendance summary"),
):
    register(_spec)
