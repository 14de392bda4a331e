"""The data-protection page's lower sections, each built when it is first opened.

Correcting a record, marking the pupil as left, recording a sharing, and retention
(the due list and erasing what is due): on a served page they arrive as headings, and
a section's forms are built when it opens (:class:`~partnerkit.forms.sections.LazySections`).
"""

from __future__ import annotations

from typing import Any

from partnerkit.data_protection.views_changes import correction_form, left_form, share_form
from partnerkit.data_protection.views_retention import retention_section
from partnerkit.forms.sections import LazySections

TITLES = ("Correct a record", "Mark the pupil as left",
          "Record a sharing, or a decision not to share", "Retention: what is due, and erasing it")


def changes_sections(session: Any) -> LazySections:
    """The sections that change the pupil's records, and retention."""
    builders = (correction_form, left_form, share_form, retention_section)
    return LazySections([(title, lambda build=build: build(session))
                         for title, build in zip(TITLES, builders, strict=True)],
                        lazy=session.served)
