"""``partnerkit render``: run a workbook once per target with papermill, write its reports.

One target is one parameter set: a pupil, a step, a practitioner, or the workspace
(:mod:`~partnerkit.render.targets`). Each runs on a warm kernel through papermill's
engine registry (:mod:`~partnerkit.render.engine`, :mod:`~partnerkit.render.kernels`,
:mod:`~partnerkit.render.runner`); the kernel that ran it builds the report the catalog
names (:mod:`~partnerkit.render.builders`) and writes it once per format under
``OUT/<format>/<workbook>-<target>.<ext>`` (:mod:`~partnerkit.render.outputs`). With
``changed_only``, targets whose inputs have not changed are skipped
(:mod:`~partnerkit.render.manifest`). The command line's door is
:func:`~partnerkit.render.command.run_command`.

The public names below are imported on first use, so a render's kernels, which import
only :mod:`~partnerkit.render.inkernel`, never import papermill.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_NAMES = {
    "render": "command", "run_command": "command",
    "Target": "targets", "make_target": "targets", "find_workbook": "targets",
    "parse_formats": "targets", "select_targets": "targets", "slug": "targets",
    "Wanted": "targets",
    "RenderSummary": "outputs", "TargetResult": "outputs", "NOTEBOOKS": "outputs",
    "prepare_out_dir": "outputs",
    "MANIFEST": "manifest", "store_changes": "manifest",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first used."""
    if name in _NAMES:
        return getattr(import_module(f"partnerkit.render.{_NAMES[name]}"), name)
    raise AttributeError(f"module 'partnerkit.render' has no attribute {name!r}")
