"""THE one table of workbooks: what each is for, what it is opened for, what report it makes.

Read by the landing page of ``partnerkit serve`` and by ``partnerkit render``; no other
module lists the workbooks. ``target`` says what one page
or one batch render is about: ``pupil`` (one pupil), ``step`` (one of the six steps),
``author`` (one practitioner) or ``workspace`` (the whole school or cohort).
``parameter`` is the notebook parameter (in the workbook's ``parameters`` cell) that
carries the target. ``builder`` names the function that builds the workbook's report
HTML as ``"module:function"`` at the wing's top level. It is imported only when a
render needs it (:func:`partnerkit.render.builders.resolve`): a wing's top level also
offers its views, so importing it here would make ``partnerkit --help`` and the landing
page import every wing and ipywidgets. ``tests/test_catalog.py`` proves each name
resolves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from partnerkit.errors import NotFoundError
from partnerkit.paths import workbooks_dir

Target = Literal["pupil", "step", "author", "workspace"]
TARGET_KINDS: tuple[str, ...] = ("pupil", "step", "author", "workspace")
"""What one run of a workbook is about: its report is one file per target."""


@dataclass(frozen=True)
class Workbook:
    """One shipped workbook and the report a batch render makes from it.

    Attributes:
        name: the notebook's file name in ``workbooks/`` without ``.ipynb``.
        title: what staff see on the landing page.
        purpose: one or two sentences saying what the workbook is for.
        target: one of :data:`TARGET_KINDS`.
        order: where it comes on the landing page.
        parameter: the notebook parameter that carries the target.
        report: what the report is called in messages ("pupil partnership pack").
        builder: the report function, ``"partnerkit.mapping_tool:map_summary_html"``.
        aliases: other keyword names the report function may use for the target.
    """

    name: str
    title: str
    purpose: str
    target: Target
    order: int
    parameter: str
    report: str
    builder: str
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse a target kind that no door knows."""
        if self.target not in TARGET_KINDS:
            raise ValueError(f"target {self.target!r} is not one of {TARGET_KINDS}")

    @property
    def filename(self) -> str:
        """The notebook's file name."""
        return f"{self.name}.ipynb"

    def exists(self) -> bool:
        """True when the notebook ships with this installation."""
        return (workbooks_dir() / self.filename).exists()


PUPIL_PACK = "partnerkit.mapping_tool.report:map_summary_html"
PARTNERSHIP_PLAN = "partnerkit.six_steps.report:plan_report_html"
REFLECTIVE_LOG = "partnerkit.reflective_log.report:log_html"
ATTENDANCE_SUMMARY = "partnerkit.attendance.summary:summary_html"
COHORT_BOARD = "partnerkit.collaborative_working.cohort_report:cohort_report_html"
SUBJECT_ACCESS = "partnerkit.data_protection.report:subject_access_html"

WORKBOOKS: tuple[Workbook, ...] = (
    Workbook("principles", "Partnership principles",
             "Rate how far the partnership principles are part of your work, and reflect "
             "on partnership working with colleagues. Start here.",
             target="workspace", order=1, parameter="workspace",
             report="school partnership plan", builder=PARTNERSHIP_PLAN),
    Workbook("mapping_tool", "Community partnership map",
             "Map the people and partners around one pupil, see the gaps and find local "
             "partners who could help.",
             target="pupil", order=2, parameter="pupil",
             report="pupil partnership pack", builder=PUPIL_PACK),
    Workbook("six_steps", "Six steps to an effective partnership",
             "Plan and track your school's partnership work, one step at a time.",
             target="step", order=3, parameter="step",
             report="school partnership plan", builder=PARTNERSHIP_PLAN),
    Workbook("attendance", "Attendance data",
             "Look at attendance with equalities data and see which pupils need support.",
             target="workspace", order=4, parameter="workspace",
             report="attendance summary", builder=ATTENDANCE_SUMMARY),
    Workbook("staged_support", "Staged support plan",
             "Plan support for one pupil stage by stage, and request help from a partner "
             "service.",
             target="pupil", order=5, parameter="pupil",
             report="pupil partnership pack (with the staged support plan)",
             builder=PUPIL_PACK),
    Workbook("collaborative_working", "Collaborative partnership working (training)",
             "Work through the training module: activities, reflective log and quiz.",
             target="author", order=6, parameter="author",
             report="reflective log", builder=REFLECTIVE_LOG, aliases=("practitioner",)),
    Workbook("cohort", "Your cohort (trainer)",
             "Follow a training session as it runs: each participant's activities and quiz, "
             "who is stuck or locked out, and the cohort's certificates and exports.",
             target="workspace", order=8, parameter="workspace",
             report="cohort progress", builder=COHORT_BOARD),
    Workbook("reflective_log", "My reflective log",
             "Read your whole reflective log and download it for your professional "
             "learning record.",
             target="author", order=7, parameter="author",
             report="reflective log", builder=REFLECTIVE_LOG, aliases=("practitioner",)),
    Workbook("audit_trail", "Audit trail (data protection)",
             "See who looked at or changed a pupil's records and practitioners' logs, when "
             "and from where; check nobody edited the trail; export it.",
             target="workspace", order=8, parameter="workspace",
             report="audit trail", builder="partnerkit.audit_trail.report:trail_html"),
    Workbook("data_protection", "Subject access and erasure",
             "For the data-protection lead: see everything held about one pupil, make the "
             "subject access bundle, set legal holds, erase, correct records, record leaving "
             "dates and sharing, apply retention, make backups and the paperwork.",
             target="pupil", order=9, parameter="pupil",
             report="subject access bundle", builder=SUBJECT_ACCESS),
)


def find(name: str) -> Workbook | None:
    """The row of a workbook by name (with or without ``.ipynb``), shipped or not; or None."""
    wanted = name.removesuffix(".ipynb")
    return next((w for w in WORKBOOKS if w.name == wanted), None)


def available() -> list[Workbook]:
    """The workbooks that ship with this installation, in the order staff meet them."""
    return sorted((w for w in WORKBOOKS if w.exists()), key=lambda w: w.order)


def get(name: str) -> Workbook:
    """Find a shipped workbook by name (with or without ``.ipynb``) or say which exist.

    Raises:
        NotFoundError: no shipped workbook has that name; the fix lists those that do.
    """
    wanted = name.removesuffix(".ipynb")
    for workbook in available():
        if workbook.name == wanted:
            return workbook
    known = ", ".join(w.name for w in available()) or "none"
    raise NotFoundError("is not a workbook", value=name, where="workbook",
                        fix=f"use one of: {known}")
