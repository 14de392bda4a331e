"""The attendance summary report: shareable tables, and the files it reads."""

from __future__ import annotations

import pytest

from partnerkit import attendance as A
from partnerkit.attendance import summary_html
from partnerkit.attendance.summary import shareable_overview
from partnerkit.demo.attendance import write_demo_files
from partnerkit.errors import InputFileError


def test_the_attendance_summary_report_holds_only_suppressed_tables(tmp_path):
    folder = tmp_path / "data"
    files = write_demo_files(folder / "demo", ["P-1001", "P-1002"])
    page = summary_html("demo", data_dir=folder, attendance_file=str(files["attendance"]),
                        pupils_file=str(files["pupils"]))
    assert "Attendance summary" in page and "By SIMD quintile" in page
    assert "P-1001" not in page and "P-1002" not in page
    assert "a zero is shown as 0" in page
    data = A.load_attendance(files["attendance"], files["pupils"])
    rates = A.pupil_rates(data)
    overview = shareable_overview(rates, 0.9)
    values = A.overview(rates, threshold=0.9).set_index("measure")["value"]
    for measure, shown in zip(overview["measure"], overview["shown"], strict=True):
        if measure.startswith("Pupils") and 0 < float(values[measure]) < 5:
            assert shown == "<5"
        if measure.startswith("Pupils") and float(values[measure]) == 0:
            assert shown == "0"


def test_a_workspace_without_files_is_refused_plainly_never_shown_the_demo(tmp_path):
    folder = tmp_path / "data"
    write_demo_files(folder / "demo", ["P-1001"])       # the demo school is there ...
    with pytest.raises(InputFileError) as info:         # ... but this is another school
        summary_html("glenbrae-academy", data_dir=folder)
    error = info.value
    looked_for = folder / "glenbrae-academy" / "attendance_marks.csv"
    assert error.value == str(looked_for) and str(looked_for) in str(error)
    assert "attendance_file=" in error.fix and "pupils_file=" in error.fix
    assert "partnerkit demo" in error.fix


def test_the_demo_workspace_reads_the_demo_files_its_folder_holds(tmp_path):
    folder = tmp_path / "data"
    files = write_demo_files(folder / "demo", ["P-1001"])
    given = summary_html("demo", data_dir=folder, attendance_file=str(files["attendance"]),
                         pupils_file=str(files["pupils"]))
    assert summary_html("demo", data_dir=folder) == given


def test_the_summary_tables_have_readable_headings_and_no_marker_column(tmp_path):
    folder = tmp_path / "data"
    files = write_demo_files(folder / "demo", ["P-1001", "P-1002"])
    page = summary_html("demo", data_dir=folder, attendance_file=str(files["attendance"]),
                        pupils_file=str(files["pupils"]))
    for heading in ("<th>Measure</th>", "<th>Figure</th>", "<th>Attendance band</th>",
                    "<th>Share with low attendance</th>", "<th>Pupils by</th>"):
        assert heading in page
    for raw in ("<th>measure</th>", "<th>shown</th>", "suppressed", "low attendance share",
                ">False<", ">True<"):
        assert raw not in page
