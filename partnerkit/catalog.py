"""THE one table of workbooks: what each is for, what it is opened for, what report it makes.

Read by the landing page of ``partnerkit serve``, by ``partnerkit render`` and by
``partnerkit lab``; no other module lists the workbooks. ``target`` says what one page
or one batch render is about: ``pupil`` (one pupil), ``step`` (one of the six steps),
``author`` (one practitioner) or ``workspace`` (the whole school or cohort).
``parameter`` is the notebook parameter (in the workbook's ``parameters`` cell) that
carries the target. ``builder`` returns the function that builds the workbook's report
HTML; it imports the workbook's wing only when called, so ``partnerkit --help`` does not
import every wing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from partnerkit.errors import NotFoundError
from partnerkit.paths import workbooks_dir

Target = Literal["pupil", "step", "author", "workspace"]
TARGET_KINDS: tuple[str, ...] = ("pupil", "step", "author", "workspace")
"""What one run of a workbook is about: its report is one file per target."""

ReportBuilder = Callable[..., str]


def pupil_pack() -> ReportBuilder:
    """The mapping tool's pupil partnership pack (with the staged support plan)."""
    from partnerkit.mapping_tool import map_summary_html

    return map_summary_html


def partnership_plan() -> ReportBuilder:
    """The six steps' school partnership plan (whole, or one step)."""
    from partnerkit.six_steps import plan_report_html

    return plan_report_html


def reflective_log() -> ReportBuilder:
    """A practitioner's whole reflective log."""
    from partnerkit.reflective_log import log_html

    return log_html


def attendance_summary() -> ReportBuilder:
    """The attendance summary, with small numbers suppressed for sharing."""
    from partnerkit.attendance import summary_html

    return summary_html


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
        builder: returns the report function (see :func:`pupil_pack`).
        aliases: other keyword names the report function may use for the target.
    """

    name: str
    title: str
    purpose: str
    target: Target
    order: int
    parameter: str
    report: str
    builder: Callable[[], ReportBuilder]
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


WORKBOOKS: tuple[Workbook, ...] = (
    Workbook("principles", "Partnership principles",
             "Rate how far the partnership principles are part of your work, and reflect "
             "on partnership working with colleagues. Start here.", "workspace", 1,
             "workspace", "school partnership plan", partnership_plan),
    Workbook("mapping_tool", "Community partnership map",
             "Map the people and partners around one pupil, see the gaps and find local "
             "partners who could help.", "pupil", 2, "pupil", "pupil partnership pack",
             pupil_pack),
    Workbook("six_steps", "Six steps to an effective partnership",
             "Plan and track your school's partnership work, one step at a time.", "step", 3,
             "step", "school partnership plan", partnership_plan),
    Workbook("attendance", "Attendance data",
             "Look at attendance with equalities data and see which pupils need support.",
             "workspace", 4, "workspace", "attendance summary", attendance_summary),
    Workbook("staged_support", "Staged support plan",
             "Plan support for one pupil stage by stage, and request help from a partner "
             "service.", "pupil", 5, "pupil",
             "pupil partnership pack (with the staged support plan)", pupil_pack),
    Workbook("collaborative_working", "Collaborative partnership working (training)",
             "Work through the training module: activities, reflective log and quiz.",
             "author", 6, "author", "reflective log", reflective_log, ("practitioner",)),
    Workbook("reflective_log", "My reflective log",
             "Read your whole reflective log and download it for your professional "
             "learning record.", "author", 7, "author", "reflective log", reflective_log,
             ("practitioner",)),
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
