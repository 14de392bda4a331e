"""Staged (ASPIRE) support for one pupil, and requests for assistance to partner services.

The planner has one part per ASPIRE stage (assessment of needs, support required,
planning, implementation, review, evaluation): the level of support (universal or
targeted), supports chosen from the module's examples or written in, who implements
them, the review date and how parents/carers are involved. A request for assistance
records the partner service, the reason, and the agreement of the parents/carers and
the learner, or that a child protection concern applies and the local procedure
followed; a request made without either is refused with a message.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from partnerkit.collaborative_working.module import pupil_ref
from partnerkit.content import load_content
from partnerkit.demo import demo_seeder
from partnerkit.errors import NotFoundError
from partnerkit.forms import FORM_CSS, RecordForm, record_form
from partnerkit.records.base import load_record, load_records, save_record, validate_record
from partnerkit.records.mapping import PupilProfile
from partnerkit.records.module import (
    ASPIRE_STAGES,
    SUPPORT_EXAMPLES,
    RequestForAssistance,
    RequestForAssistanceDraft,
    StagedSupportPlan,
)
from partnerkit.store import Store

PLAN_COLUMNS = ["stage", "stage_name", "level", "supports", "implemented_by", "review_date",
                "parents_carers_involved"]
"""The columns of :func:`plan_frame`: one row per ASPIRE stage."""

REQUEST_COLUMNS = ["id", "service", "status", "child_protection", "parent_carer_agreement",
                   "learner_agreement", "local_procedure", "requested_on"]
"""The columns of :func:`requests_frame`: one row per request."""


def check_pupil(store: Store, workspace: str, pupil: Any) -> str:
    """Return the pupil reference if the workspace knows the pupil.

    Raises:
        PartnerkitError: the reference is not a valid pseudonymous reference.
        NotFoundError: no pupil profile has this reference; the message lists known ones.
    """
    ref = pupil_ref(pupil)
    if load_record(store, workspace, PupilProfile, ref) is None:
        known = sorted(p.pupil for p in load_records(store, workspace, PupilProfile))
        listing = ", ".join(known[:10]) + (" …" if len(known) > 10 else "")
        raise NotFoundError(f"no pupil {ref!r} in workspace {workspace!r}", value=ref,
                            where="pupil",
                            fix=(f"use one of {listing}" if known else "no pupils yet")
                            + "; or add the pupil's profile in the mapping workbook")
    return ref


def _stage_item(stage: str) -> Any:
    return load_content().item(f"module6.aspire.{stage}")


def plan(store: Store, workspace: str, pupil: str) -> dict[str, StagedSupportPlan | None]:
    """A pupil's plan: each ASPIRE stage's entry (None where nothing is entered yet)."""
    return {stage: load_record(store, workspace, StagedSupportPlan, f"{pupil}/{stage}")
            for stage in ASPIRE_STAGES}


def _support_label(support_id: str) -> str:
    return load_content().item(support_id).text if support_id in SUPPORT_EXAMPLES else support_id


def plan_frame(store: Store, workspace: str, pupil: str) -> pd.DataFrame:
    """The pupil's plan as a table, one row per ASPIRE stage (columns :data:`PLAN_COLUMNS`)."""
    rows = []
    for stage, entry in plan(store, workspace, pupil).items():
        supports = ([_support_label(s) for s in entry.supports] + entry.other_supports
                    if entry else [])
        rows.append({
            "stage": _stage_item(stage).number, "stage_name": _stage_item(stage).text,
            "level": (entry.level or "") if entry else "", "supports": "; ".join(supports),
            "implemented_by": entry.implemented_by if entry else "",
            "review_date": entry.review_date if entry else None,
            "parents_carers_involved": bool(entry and entry.parents_involved)})
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def stage_warnings(entry: StagedSupportPlan) -> dict[str, str]:
    """Advice that does not block saving: targeted examples chosen at the universal level."""
    targeted = [s for s in entry.supports if s.startswith("module6.targeted.")]
    if entry.level == "universal" and targeted:
        return {"supports": "targeted support examples are chosen but the level is "
                            "universal; set the level to targeted if specialist support "
                            "is involved"}
    return {}


def stage_form(session: Any, pupil: str, stage: str) -> RecordForm:
    """The form for one ASPIRE stage of a pupil's plan (saved as it is filled in)."""
    if stage not in ASPIRE_STAGES:
        raise NotFoundError("is not an ASPIRE stage", value=stage, where="staged support",
                            fix=f"use one of {', '.join(ASPIRE_STAGES)}")
    return record_form(StagedSupportPlan, store=session.store, workspace=session.workspace,
                       author=session.author, fixed={"pupil": pupil, "stage": stage},
                       key=f"{pupil}/{stage}", warn=stage_warnings)


def planner(session: Any, pupil: str | None = None) -> widgets.VBox:
    """The staged support planner for one pupil: one part per ASPIRE stage.

    Raises:
        NotFoundError: the workspace has no pupil with this reference.
    """
    ref = check_pupil(session.store, session.workspace, pupil or session.get("pupil"))
    content = load_content()
    aspire = content.item("module6.aspire")
    universal, targeted = content.item("module6.universal"), content.item("module6.targeted")
    intro = widgets.HTML(
        f"{FORM_CSS}<h2>Staged support for {html.escape(ref)}</h2>"
        f"<p>{html.escape(aspire.summary or '')}</p>"
        f"<p><b>{html.escape(universal.title or '')}:</b> {html.escape(universal.summary or '')}"
        f"</p><p><b>{html.escape(targeted.title or '')}:</b> "
        f"{html.escape(targeted.summary or '')}</p>")
    entries = plan(session.store, session.workspace, ref)
    accordion = widgets.Accordion(
        children=[stage_form(session, ref, stage) for stage in ASPIRE_STAGES],
        selected_index=None)
    for index, stage in enumerate(ASPIRE_STAGES):
        item = _stage_item(stage)
        started = entries[stage] is not None and entries[stage].is_started()
        accordion.set_title(index, f"{item.number} — {item.text}"
                                   + (" ✓ started" if started else ""))
    return widgets.VBox([intro, accordion])


def plan_table(session: Any, pupil: str | None = None) -> pd.DataFrame:
    """The session pupil's plan as a table (see :func:`plan_frame`)."""
    ref = check_pupil(session.store, session.workspace, pupil or session.get("pupil"))
    return plan_frame(session.store, session.workspace, ref)


# ------------------------------------------------------------------ requests for assistance


def make_request(store: Store, workspace: str, author: str, **fields: Any) -> RequestForAssistance:
    """Validate and save a request for assistance.

    Raises:
        RecordValidationError: e.g. a request made without the agreement of the
            parents/carers and the learner and without a child protection concern, or a
            child protection concern with no local procedure named.
    """
    request = validate_record(RequestForAssistance, fields)
    save_record(store, workspace, request, author)
    return request


def requests(store: Store, workspace: str, pupil: str) -> list[RequestForAssistance]:
    """Every request for assistance for a pupil."""
    return [r for r in load_records(store, workspace, RequestForAssistance, prefix=f"{pupil}/")
            if r.pupil == pupil]


def requests_frame(store: Store, workspace: str, pupil: str) -> pd.DataFrame:
    """A pupil's requests as a table (columns :data:`REQUEST_COLUMNS`)."""
    rows = [{"id": r.id, "service": r.service_label(), "status": r.status,
             "child_protection": r.child_protection,
             "parent_carer_agreement": r.parent_carer_agreement,
             "learner_agreement": r.learner_agreement, "local_procedure": r.local_procedure,
             "requested_on": r.requested_on}
            for r in requests(store, workspace, pupil)]
    return pd.DataFrame(rows, columns=REQUEST_COLUMNS)


def request_form(session: Any, pupil: str, request_id: str | None = None) -> RecordForm:
    """The form for one request (a new one unless ``request_id`` is given)."""
    key = f"{pupil}/{request_id}" if request_id else None
    fixed: dict[str, Any] = {"pupil": pupil}
    if request_id:
        fixed["id"] = request_id
    return record_form(RequestForAssistanceDraft, store=session.store,
                       workspace=session.workspace, author=session.author, fixed=fixed, key=key,
                       title=f"Request for assistance for {pupil}")


def request_view(session: Any, pupil: str | None = None) -> widgets.VBox:
    """Requests for assistance for one pupil: the procedure, the requests, and a form.

    Raises:
        NotFoundError: the workspace has no pupil with this reference.
    """
    ref = check_pupil(session.store, session.workspace, pupil or session.get("pupil"))
    procedure = load_content().item("module6.request_for_assistance")
    steps = "".join(f"<li><b>{html.escape(s.title or '')}.</b> {html.escape(s.text)}</li>"
                    for s in procedure.children)
    intro = widgets.HTML(f"{FORM_CSS}<h2>{html.escape(procedure.title or '')}</h2>"
                         f"<p>{html.escape(procedure.summary or '')}</p><ol>{steps}</ol>")
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
    return widgets.VBox([intro, new, *existing, area])


# ------------------------------------------------------------------ demo data


def _demo_plan() -> list[StagedSupportPlan]:
    return [
        StagedSupportPlan(
            pupil="P-1001", stage="assessment", level="universal",
            supports=["module6.universal.physical_environment.5"],
            implemented_by="Class teacher; Mr Khan (pupil support teacher)",
            review_date=dt.date(2026, 10, 2), parents_involved=True,
            parents_how="Phone call with mum about mornings and caring at home."),
        StagedSupportPlan(
            pupil="P-1001", stage="support", level="universal",
            supports=["module6.universal.physical_environment.2",
                      "module6.universal.curriculum.6"],
            other_supports=["Breakfast club place"], implemented_by="Mr Khan",
            review_date=dt.date(2026, 10, 16), parents_involved=True,
            parents_how="Agreed at a meeting with mum and gran."),
        StagedSupportPlan(
            pupil="P-1001", stage="planning", level="targeted",
            supports=["module6.targeted.curriculum.1", "module6.targeted.curriculum.2"],
            implemented_by="Pupil Support Team with the Young Carers Network",
            review_date=dt.date(2026, 11, 6), parents_involved=True,
            parents_how="Mum and P-1001 helped set the targets."),
    ]


def _demo_requests() -> list[RequestForAssistance]:
    return [
        RequestForAssistance(
            pupil="P-1001", id="demo-rfa1", status="requested", partner_service="third_sector",
            reason="Anxiety about PE and lateness persist after six weeks of universal support.",
            strategies_tried="Daily check-in, quiet space, breakfast club.",
            parent_carer_agreement=True, learner_agreement=True,
            requested_on=dt.date(2026, 10, 20)),
        RequestForAssistance(
            pupil="P-1003", id="demo-rfa2", status="draft", partner_service="camhs",
            reason="Low mood reported by the youth project; to discuss with the family first."),
    ]


@demo_seeder
def seed(store: Store, workspace: str, author: str) -> int:
    """Add a staged support plan for P-1001 and two requests for assistance (idempotent)."""
    count = 0
    for record in [*_demo_plan(), *_demo_requests()]:
        if store.get(workspace, record.kind, record.record_key()) is None:
            save_record(store, workspace, record, author)
            count += 1
    return count
