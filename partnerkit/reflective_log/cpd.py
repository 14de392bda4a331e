"""The reflective log as a professional-learning record, in the shapes practitioners file.

Teachers file GTCS Professional Update, CLD practitioners file with the CLD Standards
Council, social services staff with the SSSC. Each record here has the same four
parts, headed in that body's words (:data:`SHAPES`): what was learned, the hours,
the impact on practice and the reflections, each linked to the module's activities
(the log entries they come from). The hours are the cohort's (the trainer's setting,
else partnerkit's estimate). A mentor or line manager may sign the record off
(:func:`sign_off`): who, as what, when and their comment are recorded and shown.

The headings follow each body's published record (GTCS Professional Update: "what did
I learn", "impact on my practice"; CLD Standards Council: learning against the CLD
competences; SSSC: learning and its impact on practice, against the Codes of
Practice); they are partnerkit's summaries, not forms of those bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerkit.errors import CpdRecordError
from partnerkit.records.base import load_record, save_record, validate_record
from partnerkit.records.module import practitioner_name, practitioner_names
from partnerkit.records.training import DEFAULT_HOURS, FRAMEWORKS, CohortSettings, CpdSignOff
from partnerkit.reflective_log.data import LogItem, log_entries
from partnerkit.reports import html_to_docx, html_to_pdf, render_html, write_private
from partnerkit.reports.text import aware, format_moment
from partnerkit.store import Store

WHERE = "professional-learning record"


@dataclass(frozen=True)
class Shape:
    """How one body's record is headed."""

    name: str
    who: str
    learned: str
    impact: str
    reflections: str
    standards: str


SHAPES = {
    "gtcs": Shape(FRAMEWORKS["gtcs"], "teachers", "What did I learn?",
                  "What impact has it had on my practice and on learners?",
                  "My reflections", "Linked to the GTCS Professional Standards: professional "
                  "knowledge and understanding, and professional skills and abilities "
                  "(working with parents, partners and colleagues)."),
    "cld": Shape(FRAMEWORKS["cld"], "CLD practitioners", "What I learned",
                 "How it has changed my practice", "My reflections",
                 "Linked to the CLD competent practitioner framework: build and maintain "
                 "relationships, and work collaboratively with partners."),
    "sssc": Shape(FRAMEWORKS["sssc"], "social services staff", "What did you learn?",
                  "How has it affected your practice?", "Your reflections",
                  "Linked to the SSSC Codes of Practice: working openly and cooperatively "
                  "with colleagues, and with the people you support and their carers."),
}
"""Every record shape, by its key in :data:`~partnerkit.records.training.FRAMEWORKS`."""
LEARNED = ("module6.task_6_2", "module6.task_effective_collaboration",
           "module6.task_optional_effective_collaboration")
"""Log entries that say what was learned (the reflective tasks)."""
IMPACT = ("module6.activity17",)
"""Log entries that say what changes in practice (Activity 17, looking back)."""


def check_framework(framework: str) -> Shape:
    """The shape of a record by key ("gtcs", "cld", "sssc").

    Raises:
        CpdRecordError: it is not one of them.
    """
    if framework not in SHAPES:
        raise CpdRecordError("is not a professional-learning record partnerkit writes",
                             value=framework, where=WHERE, fix=f"use one of {', '.join(SHAPES)}")
    return SHAPES[framework]


def _part(items: list[LogItem], prefixes: tuple[str, ...]) -> list[LogItem]:
    return [i for i in items if i.task_id.startswith(prefixes)]


def cpd_context(store: Store, workspace: str, practitioner: str,
                framework: str) -> dict[str, Any]:
    """What a record holds: the parts, the hours, the activities and any sign-off.

    Raises:
        CpdRecordError: the framework is unknown, or the log has no entries (nothing to file).
    """
    shape = check_framework(framework)
    who = practitioner_name(practitioner)
    items = log_entries(store, workspace, who)
    if not items:
        raise CpdRecordError("the reflective log has no entries yet, so there is nothing "
                             "to file", value=who, where=WHERE,
                             fix="write your reflective-log entries in the module, then "
                                 "export the record")
    settings = load_record(store, workspace, CohortSettings, "module6")
    signed = load_record(store, workspace, CpdSignOff, f"{who}/{framework}")
    names = practitioner_names(store, workspace)
    return {"shape": shape, "practitioner": names.get(who, who), "hours":
            f"{(settings.hours if settings else DEFAULT_HOURS):g}",
            "learned": _part(items, LEARNED), "impact": _part(items, IMPACT),
            "reflections": items, "activities": sorted({i.task_title for i in items}),
            "signed": signed, "signed_at": format_moment(signed.signed_at) if signed else ""}


def cpd_html(store: Store, workspace: str, practitioner: str, framework: str) -> str:
    """The record as one HTML document (``templates/cpd_record.html.j2``)."""
    context = cpd_context(store, workspace, practitioner, framework)
    return render_html("cpd_record.html.j2", workspace=workspace, frameworks=["module6"],
                       title=f"{context['shape'].name}: professional learning record",
                       **context)


def export_cpd(store: Store, workspace: str, practitioner: str, framework: str,
               out_dir: str | Path) -> dict[str, Path]:
    """Write the record as Word and PDF (owner-only); return the paths by format."""
    html = cpd_html(store, workspace, practitioner, framework)
    slug = re.sub(r"[^a-z0-9]+", "-", practitioner_name(practitioner).lower()).strip("-")
    base = Path(out_dir) / f"professional-learning-{framework}-{slug or 'practitioner'}"
    return {"docx": write_private(base.with_suffix(".docx"), html_to_docx(html)),
            "pdf": write_private(base.with_suffix(".pdf"), html_to_pdf(html))}


def sign_off(store: Store, workspace: str, practitioner: str, framework: str, *,
             signer: str, signer_role: str, comment: str = "", author: str) -> CpdSignOff:
    """Record a mentor's or line manager's sign-off of a participant's record.

    Raises:
        CpdRecordError: the framework is unknown.
        RecordValidationError: no signer name, or a role other than mentor/line manager.
        AccessDeniedError: the account may not sign off (the participant themself, say).
    """
    check_framework(framework)
    record = validate_record(CpdSignOff, {
        "practitioner": practitioner_name(practitioner), "framework": framework,
        "signer": signer, "signer_role": signer_role, "comment": comment,
        "signed_at": aware(store.clock())})
    save_record(store, workspace, record, author)
    return record
