"""The demo school's attendance files."""

from __future__ import annotations

from partnerkit import attendance as A
from partnerkit.demo.attendance import write_demo_files


def test_demo_files_are_deterministic_and_hold_the_pupils(tmp_path):
    refs = ["P-1001", "P-1002", "P-1003", "P-1004"]
    first = write_demo_files(tmp_path / "one", refs)
    second = write_demo_files(tmp_path / "two", refs)
    assert set(first) == {"attendance", "pupils", "stretch_aims"}
    for key in first:
        assert first[key].read_bytes() == second[key].read_bytes()
    data = A.load_attendance(first["attendance"], first["pupils"])
    rates = A.pupil_rates(data).set_index("pupil")
    assert 190 <= len(rates) <= 210
    assert set(refs) <= set(rates.index)
    assert rates.loc[refs, "rate"].lt(0.9).sum() >= 2
    assert data.marks.grid.shape[1] == 380
    assert (rates["band"] == "No possible openings").sum() == 1


