"""The shipped workbooks: what each is for, in plain words, and what it is opened for.

One table used by the landing page of ``partnerkit serve``, by ``partnerkit render`` and
by ``partnerkit lab``. ``target`` says what one page or one batch render is about:
``pupil`` (one pupil), ``step`` (one of the six steps), ``author`` (one practitioner)
or ``workspace`` (the whole school or cohort).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from partnerkit.errors import NotFoundError
from partnerkit.paths import workbooks_dir

Target = Literal["pupil", "step", "author", "workspace"]


@dataclass(frozen=True)
class Workbook:
    """One shipped workbook."""

    name: str
    title: str
    purpose: str
    target: Target
    order: int

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
             "on partnership working with colleagues. Start here.", "workspace", 1),
    Workbook("mapping_tool", "Community partnership map",
             "Map the people and partners around one pupil, see the gaps and find local "
             "partners who could help.", "pupil", 2),
    Workbook("six_steps", "Six steps to an effective partnership",
             "Plan and track your school's partnership work, one step at a time.", "step", 3),
    Workbook("attendance", "Attendance data",
             "Look at attendance with equalities data and see which pupils need support.",
             "workspace", 4),
    Workbook("staged_support", "Staged support plan",
             "Plan support for one pupil stage by stage, and request help from a partner "
             "service.", "pupil", 5),
    Workbook("collaborative_working", "Collaborative partnership working (training)",
             "Work through the training module: activities, reflective log and quiz.",
             "author", 6),
    Workbook("reflective_log", "My reflective log",
             "Read your whole reflective log and download it for your professional "
             "learning record.", "author", 7),
)


def available() -> list[Workbook]:
    """The workbooks that ship with this installation, in the order staff meet them."""
    return sorted((w for w in WORKBOOKS if w.exists()), key=lambda w: w.order)


def get(name: str) -> Workbook:
    """Find a workbook by name (with or without ``.ipynb``) or say which exist."""
    wanted = name.removesuffix(".ipynb")
    for workbook in available():
        if workbook.name == wanted:
            return workbook
    known = ", ".join(w.name for w in available()) or "none"
    raise NotFoundError("is not a workbook", value=name, where="workbook",
                        fix=f"use one of: {known}")
