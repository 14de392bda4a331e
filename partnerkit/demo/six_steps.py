"""The demo school's partnership plan: settings, progress on 14 items and the step tools.

Dates are set from the day the demo is made, so the plan always has items done, in
progress and overdue. Everything here is invented.
"""

from __future__ import annotations

import datetime as dt

from partnerkit.demo import DEMO_SCHOOL
from partnerkit.records.base import Record, save_record
from partnerkit.records.plan import (
    AgreementRow,
    ChecklistProgress,
    CommunitySupportRow,
    ConsultationRow,
    DeliveryTool,
    ImpactTool,
    KeyContactRow,
    MeetingRow,
    PaperworkRow,
    PartnerOfferRow,
    PlanSettings,
    ResourceRow,
    ResourcesTool,
    RoleRow,
    SharedPlanTool,
    TargetedSupportRow,
    TrackingRow,
    VisionTool,
    VoiceTool,
)
from partnerkit.six_steps.data import load_settings, today
from partnerkit.store import Store

ORDER = 20
"""Seeded after the mapping pupils and before the principles, as before the move."""


def _demo_progress(start: dt.date, now: dt.date) -> list[tuple[str, ChecklistProgress]]:
    """The demo plan in progress: step 1 nearly done, later steps under way, some overdue."""
    def at(days: int) -> dt.date:
        return max(start, now + dt.timedelta(days=days))

    head = "Mrs Duffy (depute head)"
    pts = "Mr Khan (pupil support)"
    eyp, flt = "Eastfield Youth Project", "Glenbrae Family Learning Team"
    p = ChecklistProgress
    return [
        (head, p(item="six_steps.1.1", status="done", owner=head, partners=[eyp, flt],
                 due=start + dt.timedelta(days=21),
                 evidence="Community profile and SIMD data reviewed with partners on the "
                          "September in-service day.")),
        (pts, p(item="six_steps.1.2", status="done", owner=pts, partners=[eyp, flt],
                due=start + dt.timedelta(days=28),
                evidence="Partner directory built with the mapping tool: seven partners.")),
        (head, p(item="six_steps.1.3", status="done", owner=head,
                 due=start + dt.timedelta(days=28),
                 evidence="Attendance by SIMD quintile: a 6-point gap between Q1 and Q5.")),
        (head, p(item="six_steps.1.4", status="done", owner=head,
                 due=start + dt.timedelta(days=35), evidence="Vision agreed by staff and the "
                 "parent council.")),
        (pts, p(item="six_steps.1.5", status="in_progress", owner=pts,
                due=at(14), notes="Using the Forth Valley and West Lothian toolkit.")),
        (head, p(item="six_steps.1.6", status="done", owner=head, partners=[eyp, flt],
                 due=start + dt.timedelta(days=35), evidence="Key contacts table agreed.")),
        (pts, p(item="six_steps.2.1", status="done", owner=pts, partners=[eyp],
                due=start + dt.timedelta(days=42),
                evidence="Lundy model used to plan the pupil focus groups.")),
        ("Sam Reid (Eastfield Youth Project)",
         p(item="six_steps.2.2", status="in_progress", owner="Sam Reid", partners=[eyp],
           due=at(-9), notes="Two focus groups held; the family conversations are still "
                             "to do.")),
        (pts, p(item="six_steps.2.3", status="in_progress", owner="", partners=[eyp, flt],
                due=at(21))),
        (head, p(item="six_steps.2.4", status="not_started", due=at(60))),
        (head, p(item="six_steps.3.1", status="done", owner=head, partners=[eyp],
                 due=start + dt.timedelta(days=50),
                 evidence="PEF allocation for the youth worker agreed.")),
        (head, p(item="six_steps.3.2", status="not_applicable",
                 notes="No procurement needed: the youth project is funded through the "
                       "council grant.")),
        (pts, p(item="six_steps.3.3", status="not_started", owner=pts, due=at(-3))),
        (head, p(item="six_steps.4.1", status="in_progress", owner=head,
                 partners=[eyp, flt, "Calm Minds Counselling"], due=at(30))),
    ]


_EYP, _FLT = "Eastfield Youth Project", "Glenbrae Family Learning Team"

DEMO_TOOLS: tuple[Record, ...] = (
    VisionTool(
        vision="Every young person at Glenbrae feels they belong, wants to be here and "
               "has someone in school or in the community who notices when they are not.",
        policy_fit="It follows the council's Attendance Matters policy: early, "
                   "relationship-based support before any formal stage.",
        strengths="Strong pupil support team; breakfast club; trusted youth work partner.",
        areas_for_development="Reaching families who do not come into school; "
                              "consistent follow-up on the first day of absence.",
        key_contacts=[KeyContactRow(partner=_EYP, partner_contact="Sam Reid",
                                    school_contact="Mr Khan",
                                    how_to_reach="0141 000 0001, Tuesdays and Thursdays"),
                      KeyContactRow(partner=_FLT, partner_contact="Aileen Moffat",
                                    school_contact="Mrs Duffy",
                                    how_to_reach="family.learning@example.org")]),
    VoiceTool(
        consultations=[
            ConsultationRow(group="young_people", led_by=_EYP,
                            space="Two focus groups in the youth project, away from school.",
                            voice="Mornings are hard; some classes feel like no one "
                                  "notices if you are there.",
                            audience="Depute head and youth worker; shared with the "
                                     "pupil council.",
                            influence="Morning check-in with a named adult to start in "
                                      "term 2."),
            ConsultationRow(group="families", led_by=_FLT,
                            space="Parent cafe in the community centre.",
                            voice="Letters about absence feel like blame.",
                            audience="Pupil support team.",
                            influence="Letters rewritten with parents.")],
        targeted_support=[
            TargetedSupportRow(factor="individual", support="Morning check-in",
                               delivered_by="Pupil support team"),
            TargetedSupportRow(factor="family", support="Family learning sessions",
                               delivered_by=_FLT),
            TargetedSupportRow(factor="peer", support="Friday youth group",
                               delivered_by=_EYP)]),
    ResourcesTool(
        resources=[ResourceRow(resource="Youth worker, two days a week",
                               source="pupil_equity_funding", provided_by=_EYP,
                               notes="£18,000 for the school year"),
                   ResourceRow(resource="Parent cafe venue", source="partner",
                               provided_by=_FLT)],
        reporting="Attendance reviewed monthly by the pupil support team with partners.",
        paperwork=[PaperworkRow(task="Risk assessment for off-site groups",
                                who="Sam Reid", shared_how="Shared drive, read by the "
                                                           "depute head")],
        agreements=[AgreementRow(partner=_EYP, covers="Youth worker days and reporting",
                                 procurement_followed=True)]),
    SharedPlanTool(
        shared_vision="School and partners share the school's vision and meet termly.",
        shared_outcomes=["Attendance of S1-S3 pupils in SIMD quintile 1 up 3 points",
                         "Every targeted pupil has a trusted adult"],
        partner_offers=[PartnerOfferRow(partner="Calm Minds Counselling",
                                        can_offer="Counselling for 12-18 year olds",
                                        cannot_offer="Crisis support")],
        community_support=[CommunitySupportRow(support="Friday youth group", partner=_EYP,
                                               setting="Eastfield community centre")]),
    DeliveryTool(
        roles=[RoleRow(who="Mr Khan", what="Morning check-in for targeted pupils",
                       when="Daily, 8.45", how="Named adult in the base"),
               RoleRow(who="Sam Reid", what="Friday youth group and follow-up",
                       when="Fridays", how="Youth work sessions")],
        tracking=[TrackingRow(what="Attendance of targeted pupils", who="Mr Khan",
                              how_often="Weekly", system="SEEMiS")],
        meetings=[MeetingRow(purpose="Termly partnership review",
                             who="Depute head, youth project, family learning team")]),
    ImpactTool(celebration="Celebration assembly in June with families and partners."),
)
"""Demo step tools: a vision and contacts, what pupils said, resources, roles, meetings."""


def _demo_settings(now: dt.date) -> PlanSettings:
    start = now - dt.timedelta(days=75)
    return PlanSettings(school=DEMO_SCHOOL, local_authority="Glenbrae Council (fictional)",
                        start=start, end=start + dt.timedelta(days=319))



def seed(store: Store, workspace: str, author: str) -> int:
    """Add the demo plan: settings, progress on 14 items (some overdue) and step tools.

    Dates are set from the day the demo is made, so it always has items done, in
    progress and overdue. Records already present are left as they are.
    """
    settings = load_settings(store, workspace)
    if settings is None:
        settings = _demo_settings(today(store))
        save_record(store, workspace, settings, author)
    assert settings.start is not None
    count = 1
    for who, record in _demo_progress(settings.start, today(store)):
        if store.get(workspace, record.kind, record.record_key()) is None:
            save_record(store, workspace, record, who)
        count += 1
    for tool in DEMO_TOOLS:
        if store.get(workspace, tool.kind, tool.record_key()) is None:
            save_record(store, workspace, tool, author)
        count += 1
    return count
