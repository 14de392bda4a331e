"""The community partnership mapping workbook: one pupil's world, its gaps, local partners.

Inside the wing: :mod:`.rules` (pure: gap rules, labels, the map in words),
:mod:`.layout` (pure: the ecomap's geometry), :mod:`.ecomap` (the drawing, matplotlib),
:mod:`.data` (the store read into records and DataFrames), :mod:`.views` (the
workbook's cells, the only ipywidgets importer), :mod:`.report` (the pupil partnership
pack through Jinja) and :mod:`.directory` (the local partner directory). The workbook
imports ``from partnerkit import mapping_tool, session`` and calls the names below.

The drawing's names (:mod:`.ecomap`, :mod:`.layout`) load matplotlib, so they are
imported when first used (:func:`__getattr__`): a page whose map is not open yet does
not load matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from partnerkit.mapping_tool.data import (
    CONNECTION_COLUMNS,
    GAP_COLUMNS,
    connections_frame,
    gaps_frame,
    pupil_answers,
    pupil_connections,
    pupil_gaps,
    pupils,
    require_pupil,
)
from partnerkit.mapping_tool.directory import directory_editor
from partnerkit.mapping_tool.report import map_summary_html, save_map_summary
from partnerkit.mapping_tool.rules import (
    GAP_TYPES,
    QUESTION_IDS,
    Gap,
    describe_ecomap,
    find_gaps,
    flag,
    layer_titles,
)
from partnerkit.mapping_tool.views import (
    ConnectionsEditor,
    ProfileForm,
    ReflectiveQuestions,
    about_tool,
    connections_editor,
    ecomap_text,
    ecomap_view,
    gaps_view,
    profile_form,
    reflective_questions,
    session_pupil,
    summary_download,
    summary_path,
)

__all__ = [
    "CONNECTION_COLUMNS", "GAP_COLUMNS", "GAP_TYPES", "QUESTION_IDS", "ConnectionsEditor",
    "EcomapFigure", "EcomapLayout", "Gap", "ProfileForm", "ReflectiveQuestions", "about_tool",
    "connections_editor", "connections_frame", "describe_ecomap", "directory_editor",
    "draw_ecomap", "ecomap_figure", "ecomap_text", "ecomap_view", "figure_bytes", "find_gaps",
    "flag", "gaps_frame", "gaps_view", "layer_titles", "layout_ecomap", "map_summary_html",
    "profile_form", "pupil_answers", "pupil_connections", "pupil_ecomap", "pupil_gaps",
    "pupils", "reflective_questions", "require_pupil", "save_ecomap", "save_map_summary",
    "save_pupil_ecomap", "session_pupil", "summary_download", "summary_path", "svg_markup",
]

DRAWING = {name: "ecomap" for name in (
    "EcomapFigure", "draw_ecomap", "ecomap_figure", "figure_bytes", "pupil_ecomap",
    "save_ecomap", "save_pupil_ecomap", "svg_markup")} | {
    "EcomapLayout": "layout", "layout_ecomap": "layout"}
"""The names imported from the drawing's modules when first used."""


def __getattr__(name: str) -> Any:
    """A drawing's name, imported (with matplotlib) the first time it is asked for."""
    module = DRAWING.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
