"""A pupil's staged support plan and requests for assistance, from the store as DataFrames.

Every door that names a pupil goes through :func:`check_pupil`: the reference must be
pseudonymous (:func:`partnerkit.records.refs.pupil_ref`) and known in the workspace.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from partnerkit.errors import NotFoundError
from partnerkit.records.base import load_record, load_records, save_record, validate_record
from partnerkit.records.mapping import PupilProfile
from partnerkit.records.module import ASPIRE_STAGES, RequestForAssistance, StagedSupportPlan
from partnerkit.records.refs import pupil_ref
from partnerkit.staged_support.rules import stage_item, support_label
from partnerkit.store import Store

PLAN_COLUMNS = ("stage", "stage_name", "level", "supports", "implemented_by", "review_date",
                "parents_carers_involved")
"""The columns of :func:`plan_frame`: one row per ASPIRE stage, in order."""

REQUEST_COLUMNS = ("id", "service", "status", "child_protection", "parent_carer_agreement",
                   "learner_agreement", "local_procedure", "requested_on")
"""The columns of :func:`requests_frame`: one row per request."""


def check_pupil(store: Store, workspace: str, pupil: Any) -> str:
    """Return the pupil reference if it is valid and the workspace knows the pupil.

    Raises:
        PupilReferenceError: the reference is not a valid pseudonymous reference.
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


def plan(store: Store, workspace: str, pupil: str) -> dict[str, StagedSupportPlan | None]:
    """A pupil's plan: each ASPIRE stage's entry (None where nothing is entered yet)."""
    return {stage: load_record(store, workspace, StagedSupportPlan, f"{pupil}/{stage}")
            for stage in ASPIRE_STAGES}


def plan_frame(store: Store, workspace: str, pupil: str) -> pd.DataFrame:
    """The pupil's plan as a table, one row per ASPIRE stage (columns :data:`PLAN_COLUMNS`).

    A stage not yet entered has blank text, no review date and no parents involved.
    """
    rows = []
    for stage, entry in plan(store, workspace, pupil).items():
        supports = ([support_label(s) for s in entry.supports] + entry.other_supports
                    if entry else [])
        rows.append({
            "stage": stage_item(stage).number, "stage_name": stage_item(stage).text,
            "level": (entry.level or "") if entry else "", "supports": "; ".join(supports),
            "implemented_by": entry.implemented_by if entry else "",
            "review_date": entry.review_date if entry else None,
            "parents_carers_involved": bool(entry and entry.parents_involved)})
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


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
    return pd.DataFrame(rows, columns=list(REQUEST_COLUMNS))
