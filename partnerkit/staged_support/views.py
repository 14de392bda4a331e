"""The staged support planner and requests for assistance as widgets.

The planner has one part per ASPIRE stage (assessment of needs, support required,
planning, implementation, review, evaluation): the level of support (universal or
targeted), supports chosen from the module's examples or written in, who implements
them, the review date and how parents/carers are involved. A request for assistance
records the partner service, the reason, and the agreement of the parents/carers and
the learner, or that a child protection concern applies and the local procedure
followed; a request made without either is refused with a message beside the field.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from IPython.display import HTML

from partnerkit.forms import FORM_CSS, RecordForm, record_form
from partnerkit.forms.sections import LazySections
from partnerkit.records.module import (
    ASPIRE_STAGES,
    RequestForAssistanceDraft,
    StagedSupportPlan,
)
from partnerkit.reports.frames import Column, frame_table
from partnerkit.staged_support.data import check_pupil, plan, plan_frame, requests
from partnerkit.staged_support.report import planner_intro_html, request_procedure_html
from partnerkit.staged_support.rules import check_stage, stage_item, stage_warnings


def stage_form(session: Any, pupil: str, stage: str) -> RecordForm:
    """The form for one ASPIRE stage of a pupil's plan (saved as it is filled in).

    Raises:
        NotFoundError: ``stage`` is not an ASPIRE stage.
    """
    check_stage(stage)
    return record_form(StagedSupportPlan, store=session.store, workspace=session.workspace,
                       author=session.author, fixed={"pupil": pupil, "stage": stage},
                       key=f"{pupil}/{stage}", warn=stage_warnings)


def planner(session: Any, pupil: str | None = None) -> widgets.VBox:
    """The staged support planner for one pupil: one part per ASPIRE stage.

    Raises:
        PupilReferenceError: the reference is not a pseudonymous reference.
        NotFoundError: the workspace has no pupil with this reference.
    """
    ref = check_pupil(session.store, session.workspace, pupil or session.get("pupil"))
    entries = plan(session.store, session.workspace, ref)

    def title(stage: str) -> str:
        item = stage_item(stage)
        started = entries[stage] is not None and entries[stage].is_started()
        return f"{item.number} — {item.text}" + (" ✓ started" if started else "")

    # On a served page a stage's form is built when the stage is first opened: the six
    # forms closed were 306 widget models, all made and sent before the page was usable.
    stages = LazySections([(title(stage), lambda stage=stage: stage_form(session, ref, stage))
                           for stage in ASPIRE_STAGES], lazy=getattr(session, "served", False))
    return widgets.VBox([widgets.HTML(FORM_CSS + planner_intro_html(ref)), stages])


PLAN_TABLE = (Column("stage", "Stage"), Column("stage_name", "What happens"),
              Column("level", "Level of support",
                     labels={"universal": "Universal", "targeted": "Targeted"}),
              Column("supports", "Supports", typed=True),
              Column("implemented_by", "Who provides it", typed=True),
              Column("review_date", "Review date", "date"),
              Column("parents_carers_involved", "Parents or carers involved", "yes_no"))
"""The page's plan table (every column of ``PLAN_COLUMNS``, in words)."""


def plan_table(session: Any, pupil: str | None = None) -> HTML:
    """The session pupil's plan at a glance, one row per ASPIRE stage, as a plain table.

    The table of :func:`~partnerkit.staged_support.plan_frame`; a stage not yet filled
    in has blank cells (not "No").

    Raises:
        PupilReferenceError: the reference is not a pseudonymous reference.
        NotFoundError: the workspace has no pupil with this reference.
    """
    ref = check_pupil(session.store, session.workspace, pupil or session.get("pupil"))
    frame = plan_frame(session.store, session.workspace, ref)
    entered = plan(session.store, session.workspace, ref)
    involved = [value if entered[stage] is not None and entered[stage].is_started() else None
                for stage, value in zip(entered, frame["parents_carers_involved"], strict=True)]
    shown = frame.astype({"parents_carers_involved": object}).assign(
        parents_carers_involved=involved)
    return HTML(frame_table(shown, PLAN_TABLE, empty=""))


def request_form(session: Any, pupil: str, request_id: str | None = None) -> RecordForm:
    """The form for one request (a new one, kept as a draft, unless ``request_id`` is given)."""
    fixed: dict[str, Any] = {"pupil": pupil}
    if request_id:
        fixed["id"] = request_id
    return record_form(RequestForAssistanceDraft, store=session.store,
                       workspace=session.workspace, author=session.author, fixed=fixed,
                       key=f"{pupil}/{request_id}" if request_id else None,
                       title=f"Request for assistance for {pupil}")


def request_view(session: Any, pupil: str | None = None) -> widgets.VBox:
    """Requests for assistance for one pupil: the procedure, the requests, and a form.

    Raises:
        PupilReferenceError: the reference is not a pseudonymous reference.
        NotFoundError: the workspace has no pupil with this reference.
    """
    ref = check_pupil(session.store, session.workspace, pupil or session.get("pupil"))
    area = widgets.VBox()
    new = widgets.Button(description="Start a new request", icon="plus",
                         button_style="primary", layout=widgets.Layout(width="auto"))
    new.on_click(lambda _b: setattr(area, "children", (request_form(session, ref),)))
    existing = []
    for request in requests(session.store, session.workspace, ref):
        label = (f"Open: {request.service_label()[:50]} "
                 f"({'made' if request.status == 'requested' else 'draft'})")
        button = widgets.Button(description=label, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _b, r=request: setattr(
            area, "children", (request_form(session, ref, r.id),)))
        existing.append(button)
    intro = widgets.HTML(FORM_CSS + request_procedure_html())
    return widgets.VBox([intro, new, *existing, area])
