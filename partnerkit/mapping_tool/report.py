"""The mapping tool's report: the pupil partnership pack, and the page fragments, through Jinja.

:func:`map_summary_html` renders ``templates/map_summary.html.j2``: profile, ecomap,
connections, gaps, answers and the pupil's staged support (ASPIRE) plan, read through
:func:`partnerkit.staged_support.plan_frame` and :func:`~partnerkit.staged_support.requests_frame`
(a wing's report may use another wing). :func:`part` renders the wing's page fragments
in ``templates/parts/mapping_tool/``. Both use the reports' environment, which escapes
every value typed by a practitioner.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from partnerkit.content import Content, load_content
from partnerkit.mapping_tool.data import (
    directory_entries,
    pupil_answers,
    pupil_connections,
    real_name,
    require_pupil,
)
from partnerkit.mapping_tool.rules import (
    FRAMEWORK,
    GAP_LABELS,
    QUESTION_IDS,
    centre_label,
    describe_ecomap,
    direction_labels,
    find_gaps,
    flag,
    layer_titles,
    need_label,
)
from partnerkit.records.mapping import LAYERS, NEEDS, Connection, PupilProfile
from partnerkit.records.sharing import sharing_log
from partnerkit.reports import render_html, write_private
from partnerkit.reports.parts import render_part
from partnerkit.staged_support import data as staged_support
from partnerkit.store import Store

SUMMARY_TEMPLATE = "map_summary.html.j2"
"""The pupil partnership pack's template."""
PARTS = "parts/mapping_tool"
"""The folder of the wing's page fragments, under ``templates/``."""
REPORT_FRAMEWORKS = [FRAMEWORK, "principles", "module6"]
"""The frameworks the pack cites in its footer."""


def part(fragment: str, /, **context: Any) -> str:
    """Render one page fragment, ``templates/parts/mapping_tool/<fragment>.html.j2`` (escaped)."""
    return render_part(f"mapping_tool/{fragment}", **context)


ECOMAP_PAGE_MM = 263
"""The height of a printed A4 page's body (297 mm less the report margins)."""
ECOMAP_ROOM_MM = 50
"""What the ecomap's page gives its two headings and the space around them."""
DESCRIPTION_LINE_MM = 5.0
"""One printed line of the ecomap in words (10 pt, spaced 1.35: the template's print style)."""
DESCRIPTION_LINE_CHARS = 90
"""The characters a printed line of the ecomap in words holds (a longer line wraps)."""
ECOMAP_MM = (80, 200)
"""The shortest and tallest the printed ecomap may be."""


def ecomap_print_height(description: str) -> int:
    """How tall the ecomap prints (mm) so that it and its description share one page.

    The ecomap starts a page; the drawing takes what its headings and its description
    in words leave of the page, between :data:`ECOMAP_MM`'s bounds (a long description
    runs on to the next page rather than shrink the drawing past reading). Without this,
    a page ends with the drawing and the start of the words, and the rest of the words
    make a page of a few lines before the (landscape) table of connections.
    """
    lines = sum(max(1, -(-len(line) // DESCRIPTION_LINE_CHARS))
                for line in description.splitlines() or [""])
    room = ECOMAP_PAGE_MM - ECOMAP_ROOM_MM - lines * DESCRIPTION_LINE_MM
    return int(min(max(room, ECOMAP_MM[0]), ECOMAP_MM[1]))


def _profile_rows(profile: PupilProfile, content: Content) -> list[tuple[str, str]]:
    rows = []
    for name, info in PupilProfile.model_fields.items():
        if name == "pupil":
            continue
        value = getattr(profile, name)
        if name == "needs":
            shown = ", ".join(need_label(n, content) for n in value)
        else:
            shown = "" if value is None else str(value)
        rows.append((info.title or name, shown))
    return rows


def _layers(connections: list[Connection], content: Content) -> list[dict[str, Any]]:
    titles = layer_titles(content)
    return [{"title": titles[layer], "connections": [c for c in connections
                                                      if c.layer == layer]}
            for layer in LAYERS]


def _answers(store: Store, workspace: str, pupil: str,
             content: Content) -> list[dict[str, Any]]:
    given = pupil_answers(store, workspace, pupil)
    return [{"number": content.item(q).number, "question": content.item(q).text,
             "answer": given[q]} for q in QUESTION_IDS]


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as dicts, with None (not NaN) where a value is missing."""
    frame = frame.astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def _staged_support(store: Store, workspace: str,
                    pupil: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The pupil's ASPIRE plan and requests for assistance, as rows for the pack."""
    return (_rows(staged_support.plan_frame(store, workspace, pupil)),
            _rows(staged_support.requests_frame(store, workspace, pupil)))


_LAST_SUMMARY: dict[str, Any] = {}
"""The last summary built in this process and what it was built from (see below)."""


def map_summary_html(store: Store, workspace: str, pupil: str, names: bool = False,
                     content: Content | None = None) -> str:
    """The map summary as an HTML page: profile, ecomap, connections, gaps, answers.

    Pseudonymous by default: the pupil's real name (if one was given) appears only with
    ``names=True``. Every value typed by a practitioner is escaped. Asked again for the
    same pupil with nothing changed in the workspace since (as a batch render does
    after the workbook's own summary cell), the summary just built is given again.
    """
    key = (repr(store), workspace, str(pupil), id(content), store.state(workspace),
           real_name(store, workspace, str(pupil)) if flag(names) else None)
    if _LAST_SUMMARY.get("key") != key:
        _LAST_SUMMARY.clear()
        html = _summary_html(store, workspace, pupil, names, content or load_content())
        _LAST_SUMMARY.update(key=key, html=html)
    return _LAST_SUMMARY["html"]


def _summary_html(store: Store, workspace: str, pupil: str, names: bool,
                  content: Content) -> str:
    from partnerkit.mapping_tool.ecomap import ecomap_figure, svg_markup  # matplotlib: late

    profile = require_pupil(store, workspace, pupil)
    pupil = profile.pupil
    name = real_name(store, workspace, pupil) if flag(names) else None
    connections = pupil_connections(store, workspace, pupil)
    label = centre_label(pupil, name)
    figure = ecomap_figure(connections, pupil_label=label, content=content)
    staged, requests = _staged_support(store, workspace, pupil)
    description = describe_ecomap(connections, pupil_label=label, content=content)
    return render_html(
        SUMMARY_TEMPLATE, workspace=workspace, frameworks=REPORT_FRAMEWORKS, store=store,
        staged=staged, requests=requests,
        title=f"{content.frameworks[FRAMEWORK].title}: {label}", pupil=pupil,
        real_name=name, profile_rows=_profile_rows(profile, content),
        layers=_layers(connections, content), svg=Markup(svg_markup(figure)),
        description=description, ecomap_mm=ecomap_print_height(description),
        gaps=find_gaps(profile, connections, directory_entries(store, workspace), content),
        answers=_answers(store, workspace, pupil, content),
        need_labels={n: need_label(n, content) for n in NEEDS},
        direction_labels=direction_labels(), gap_labels=GAP_LABELS,
        sharing=sharing_log(store, workspace, pupil))


def save_map_summary(store: Store, workspace: str, pupil: str, path: str | os.PathLike[str],
                     names: bool = False) -> Path:
    """Write the map summary HTML to ``path``, readable by its owner only."""
    return write_private(path, map_summary_html(store, workspace, pupil, names=names))


__all__ = ["PARTS", "SUMMARY_TEMPLATE", "map_summary_html", "part", "save_map_summary"]
