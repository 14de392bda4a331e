"""Flagged pupils with links to their map and plan."""

from __future__ import annotations

from partnerkit import attendance as A
from tests.attendance.samples import (
    TOTALS,
    write,
)


def test_pupil_link_and_flagged_pupils(tmp_path):
    assert A.pupil_link("mapping_tool", "P-0001") == \
        "../voila/render/mapping_tool.ipynb?pupil=P-0001"
    assert A.pupil_link("staged_support", "A&B", workspace="demo") == \
        "../voila/render/staged_support.ipynb?pupil=A%26B&workspace=demo"
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    flagged = A.flagged_pupils(A.pupil_rates(data))
    assert flagged["pupil"].tolist() == ["P5", "P4", "P1"]   # lowest rate first
    assert flagged.loc[2, "map_link"].endswith("mapping_tool.ipynb?pupil=P1")
    html = A.flagged_view(flagged).to_html()
    assert 'href="../voila/render/staged_support.ipynb?pupil=P1"' in html


