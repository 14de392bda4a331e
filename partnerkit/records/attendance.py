"""The attendance page's remembered settings: which heading of the school's export holds what.

A school lead matches the headings of their management information system's export to
the fields the workbook reads once; the page keeps that match (and the low-attendance
threshold) as one record of the workspace, so next time the same export loads without
asking again.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from partnerkit.records.base import Record

ExportShape = Literal["marks", "totals"]


class AttendanceSettings(Record):
    """How this workspace's attendance export is read: its headings and the threshold."""

    kind = "attendance_settings"

    columns: dict[str, str] = Field(default_factory=dict, title="Headings of the export",
                                    description="Each field the workbook reads, and the "
                                                "heading of the export that holds it.")
    shape: ExportShape | None = Field(None, title="Kind of export")
    threshold: float = Field(0.9, gt=0, le=1, title="Low attendance threshold")
    file_name: str = Field("", max_length=300, title="The export last loaded")

    def record_key(self) -> str:
        """One set of settings per workspace."""
        return "export"
