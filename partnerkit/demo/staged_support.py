"""Demo records of the staged support workbook: a plan for P-1001 and two requests."""

from __future__ import annotations

import datetime as dt

from partnerkit.records import save_record
from partnerkit.records.module import RequestForAssistance, StagedSupportPlan
from partnerkit.store import Store


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


def seed(store: Store, workspace: str, author: str) -> int:
    """Add a staged support plan for P-1001 and two requests for assistance (idempotent)."""
    count = 0
    for record in [*_demo_plan(), *_demo_requests()]:
        if store.get(workspace, record.kind, record.record_key()) is None:
            save_record(store, workspace, record, author)
            count += 1
    return count
