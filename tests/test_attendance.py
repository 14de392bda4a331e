"""Attendance data: loaders, checks, measures, sharing, stretch aims, charts and the workbook.

The small files here are worked out by hand: each test says the sums it expects.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from partnerkit import attendance as A
from partnerkit.attendance import csvread, fields, sources
from partnerkit.attendance.encode import factorize
from partnerkit.errors import InputFileError, PartnerkitError

MARKS_HEAD = "Pupil Ref,Date,Session,Attendance Code\n"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def marks(folder: Path, rows: list[str], name: str = "marks.csv", head: str = MARKS_HEAD) -> Path:
    return write(folder, name, head + "".join(r + "\n" for r in rows))


def assert_names(err: InputFileError, *, file: str, row: int, column: str, value: str) -> None:
    """The error names the file, row, column and value, as attributes and in its text."""
    text = str(err)
    assert err.file == file and file in text
    assert err.row == row and f"row {row}" in text
    assert err.column == column and repr(column) in text
    assert str(value) in str(err.value)
    assert str(value) in text
    assert err.fix and err.fix in text


def refused(path: Path, *args, **kwargs) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        A.load_attendance(path, *args, **kwargs)
    return info.value


# -- per-pupil totals: the threshold, bands and no possible openings ---------------------

TOTALS = """pupil,possible,attended,authorised,unauthorised,exclusion
P1,380,342,20,18,0
P2,380,343,20,17,0
P3,0,0,0,0,0
P4,200,100,50,50,0
P5,200,99,50,51,0
P6,200,190,10,0,0
"""


def test_totals_rates_flag_and_bands_by_hand(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    assert data.marks is None and data.reports[-1].shape == "totals"
    rates = A.pupil_rates(data).set_index("pupil")
    assert rates.loc["P1", "rate"] == 0.9                      # 342 / 380: exactly 90%
    assert bool(rates.loc["P1", "low_attendance"]) is True      # inclusive boundary
    assert rates.loc["P2", "rate"] == pytest.approx(343 / 380)  # 90.26%: just above
    assert bool(rates.loc["P2", "low_attendance"]) is False
    assert math.isnan(rates.loc["P3", "rate"])                  # no possible openings
    assert bool(rates.loc["P3", "low_attendance"]) is False
    assert rates.loc["P3", "band"] == "No possible openings"
    assert rates.loc["P4", "band"] == "50% to under 80%"        # 50% exactly
    assert rates.loc["P5", "band"] == "Under 50%"               # 49.5%
    assert rates.loc["P6", "band"] == "95% and over"            # 95% exactly
    assert rates.loc["P1", "band"] == "90% to under 95%"
    assert list(A.pupil_rates(data).columns) == list(A.measures.RATE_COLUMNS)
    bands = A.band_counts(A.pupil_rates(data))
    assert list(bands.columns) == ["band", "pupils", "share"]
    assert bands.set_index("band")["pupils"].to_dict() == {
        "Under 50%": 1, "50% to under 80%": 1, "80% to under 90%": 0,
        "90% to under 95%": 2, "95% and over": 1, "No possible openings": 1}


@pytest.mark.parametrize("threshold", [0.95, 95])
def test_threshold_is_a_parameter_and_a_percentage_is_read(tmp_path, threshold):
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    rates = A.pupil_rates(data, threshold=threshold).set_index("pupil")
    assert rates["low_attendance"].to_dict() == {
        "P1": True, "P2": True, "P3": False, "P4": True, "P5": True, "P6": True}


@pytest.mark.parametrize("threshold", [0, -1, 101, "high"])
def test_a_threshold_out_of_range_is_refused(tmp_path, threshold):
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    with pytest.raises(PartnerkitError, match="threshold"):
        A.pupil_rates(data, threshold=threshold)


def test_overview_never_divides_by_zero(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", "pupil,possible,attended\nP1,0,0\n"))
    table = A.overview(A.pupil_rates(data)).set_index("measure")
    assert table.loc["Pupils with no possible openings", "value"] == 1
    assert table.loc["Overall attendance rate", "shown"] == "no openings"


# -- per-opening marks ----------------------------------------------------------------------

# Mon 2 - Wed 4 September 2024. A: 10 present, 11 late (attendance), 21 sickness
# (authorised), 33 unexplained (unauthorised), 40 exclusion, 02 extended leave (not counted).
HAND_MARKS = [
    "A,02/09/2024,AM,10", "A,02/09/2024,PM,11", "A,03/09/2024,am,21", "A,03/09/2024,pm,33",
    "A,04/09/2024,AM,40", "A,04/09/2024,PM,02",
    "B,2024-09-02,AM,10", "B,2024-09-02,PM,10", "B,2024-09-03,AM,2", "B,2024-09-03,PM,02",
]


def test_marks_are_counted_by_hand(tmp_path):
    data = A.load_attendance(marks(tmp_path, HAND_MARKS))
    totals = data.totals.set_index("pupil")
    assert totals.loc["A"].to_dict() == {"possible": 5, "attended": 2, "authorised": 1,
                                        "unauthorised": 1, "exclusion": 1, "not_counted": 1}
    # "2" and "02" are the same code; B has two openings of extended leave
    assert totals.loc["B"].to_dict() == {"possible": 2, "attended": 2, "authorised": 0,
                                        "unauthorised": 0, "exclusion": 0, "not_counted": 2}
    rates = A.pupil_rates(data).set_index("pupil")
    assert rates.loc["A", "rate"] == pytest.approx(2 / 5)
    assert rates.loc["B", "rate"] == 1.0
    frame = data.marks.frame()
    assert list(frame.columns) == ["pupil", "date", "session", "code", "category"]
    assert len(frame) == len(HAND_MARKS)
    assert frame.iloc[0].to_dict() == {"pupil": "A", "date": pd.Timestamp("2024-09-02"),
                                       "session": "AM", "code": "10", "category": "attendance"}


def test_report_says_which_columns_were_found_and_how(tmp_path):
    path = marks(tmp_path, HAND_MARKS, head="Pupil Ref,Date,AM/PM,Mark,Surname\n")
    path.write_text(path.read_text().replace(",10\n", ",10,X\n"), encoding="utf-8")
    rows = ["A,02/09/2024,AM,10,Smith", "B,02/09/2024,AM,10,Jones"]
    path = marks(tmp_path, rows, head="Pupil Ref,Date,AM/PM,Mark,Surname\n")
    data = A.load_attendance(path, columns={"code": "Mark"})
    report = data.report().set_index("field")
    assert report.loc["pupil", "how"] == "recognised heading"
    assert report.loc["date", "how"] == "same name"
    assert report.loc["session", "heading"] == "AM/PM"
    assert report.loc["code", "how"] == "mapped by you"
    assert list(data.report().columns) == list(A.loader.REPORT_COLUMNS)
    assert "Surname" in data.report()["heading"][data.report()["how"] == "not used"].tolist()


@pytest.mark.parametrize("kind", ["dict", "reverse", "csv", "yaml"])
def test_column_mapping_from_a_dict_or_a_small_file(tmp_path, kind):
    path = marks(tmp_path, ["A,02/09/2024,AM,10"], head="Learner,Day,Half,Reason\n")
    pairs = {"pupil": "Learner", "date": "Day", "session": "Half", "code": "Reason"}
    if kind == "dict":
        columns = pairs
    elif kind == "reverse":
        columns = {v: k for k, v in pairs.items()}
    elif kind == "csv":
        columns = write(tmp_path, "map.csv", "field,heading\n" + "".join(
            f"{k},{v}\n" for k, v in pairs.items()))
    else:
        columns = write(tmp_path, "map.yaml", "".join(f"{k}: {v}\n" for k, v in pairs.items()))
    data = A.load_attendance(path, columns=columns)
    assert data.totals["attended"].tolist() == [1]


def test_a_mapping_that_names_no_field_is_refused(tmp_path):
    mapping = write(tmp_path, "map.csv", "field,heading\npupil,Learner\nnonsense,Other\n")
    with pytest.raises(InputFileError) as info:
        A.read_column_map(mapping)
    assert_names(info.value, file="map.csv", row=3, column="field", value="nonsense")


def test_title_line_above_headings_crlf_bom_and_semicolons(tmp_path):
    text = ("\ufeffAttendance export for Glenbrae\r\n"
            "Pupil Ref;Date;Session;Code\r\nA;02/09/2024;AM;10\r\nA;02/09/2024;PM;21\r\n")
    data = A.load_attendance(write(tmp_path, "export.csv", text.encode("utf-8")))
    assert data.totals[["possible", "attended"]].values.tolist() == [[2, 1]]
    assert data.reports[-1].header_row == 2
    assert any("row 2" in n for n in data.notes())


def test_windows_1252_text_is_read(tmp_path):
    text = "Pupil Ref,Date,Session,Code,Ethnicity\nA,02/09/2024,AM,10,Caf\xe9\n"
    data = A.load_attendance(write(tmp_path, "export.csv", text.encode("cp1252")))
    assert data.pupils["ethnicity"].tolist() == ["Café"]


def test_fixed_width_and_quoted_files_give_the_same_answer(tmp_path):
    rows = [f"P{p:03d},{d:02d}/09/2024,{s},{c}" for p in range(30) for d in (2, 3, 4, 5, 6)
            for s, c in (("AM", "10"), ("PM", "21" if p % 3 == 0 else "10"))]
    plain = A.load_attendance(marks(tmp_path, rows, "plain.csv"))
    quoted = A.load_attendance(marks(tmp_path, ['"' + r.replace(",", '","') + '"'
                                                for r in rows], "quoted.csv"))
    pd.testing.assert_frame_equal(plain.totals, quoted.totals)
    assert plain.totals["possible"].sum() == 300
    assert plain.totals["attended"].sum() == 300 - 10 * 5


def test_fixed_width_and_quoted_files_report_the_same_problems(tmp_path):
    rows = ["AA,02/09/2024,AM,10", "AA,02/09/2024,PM,99", "AB,07/09/2024,AM,10",
            "AB,02/09/2024,XX,10", "AB,31/09/2024,PM,10", "AA,02/09/2024,AM,21"]
    plain = A.load_attendance(marks(tmp_path, rows, "plain.csv"), skip_bad_rows=True)
    quoted = A.load_attendance(marks(tmp_path, ['"' + r.replace(",", '","') + '"'
                                                for r in rows], "quoted.csv"),
                               skip_bad_rows=True)
    columns = ["row", "column", "value", "problem"]
    pd.testing.assert_frame_equal(plain.skipped()[columns], quoted.skipped()[columns])
    assert plain.skipped()["row"].tolist() == [3, 4, 5, 6, 7]
    pd.testing.assert_frame_equal(plain.totals, quoted.totals)


def test_xlsx_marks_with_real_date_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Pupil Ref", "Date", "Session", "Attendance Code"])
    for day in (2, 3):
        for session, code in (("AM", 10), ("PM", 21)):
            sheet.append(["A", dt.datetime(2024, 9, day), session, code])
    book.save(tmp_path / "marks.xlsx")
    data = A.load_attendance(tmp_path / "marks.xlsx")
    assert data.totals[["possible", "attended", "authorised"]].values.tolist() == [[4, 2, 2]]


def test_xlsx_with_the_data_on_a_second_sheet_is_found(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["This export was made on Monday"])
    data_sheet = book.create_sheet("Marks")
    data_sheet.append(["Pupil Ref", "Date", "Session", "Attendance Code"])
    data_sheet.append(["A", "02/09/2024", "AM", "10"])
    book.save(tmp_path / "two.xlsx")
    data = A.load_attendance(tmp_path / "two.xlsx")
    assert data.reports[-1].sheet == "Marks"
    assert any("'Marks'" in n and "'Notes'" in n for n in data.notes())
    assert data.totals["attended"].tolist() == [1]


def test_xlsx_whose_second_sheet_lacks_a_column_is_reported(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Marks")
    sheet.append(["Pupil Ref", "Date", "Session", "Reason"])
    sheet.append(["A", "02/09/2024", "AM", "10"])
    book.save(tmp_path / "two.xlsx")
    err = refused(tmp_path / "two.xlsx")
    assert_names(err, file="two.xlsx (sheet 'Marks')", row=1, column="code", value="Reason")
    assert "'Notes' is empty" in str(err)


# -- monthly and termly trends -----------------------------------------------------------

TREND_MARKS = [
    # September: A 2/2, B 1/2 -> 3/4; October: A 1/2, B 0/2 -> 1/4; January: 4/4
    "A,02/09/2024,AM,10", "A,02/09/2024,PM,10", "B,02/09/2024,AM,10", "B,02/09/2024,PM,21",
    "A,01/10/2024,AM,10", "A,01/10/2024,PM,33", "B,01/10/2024,AM,31", "B,01/10/2024,PM,40",
    "A,13/01/2025,AM,10", "A,13/01/2025,PM,11", "B,13/01/2025,AM,10", "B,13/01/2025,PM,12",
]


def test_monthly_trend_by_hand(tmp_path):
    data = A.load_attendance(marks(tmp_path, TREND_MARKS))
    trend = A.monthly_trend(data)
    assert list(trend.columns) == list(A.trends.TREND_COLUMNS)
    assert trend["period"].tolist() == ["Sep 2024", "Oct 2024", "Jan 2025"]
    assert trend["rate"].tolist() == [0.75, 0.25, 1.0]
    assert trend.loc[1, ["authorised", "unauthorised", "exclusion"]].tolist() == [0, 2, 1]
    assert trend["start"].tolist()[0] == pd.Timestamp("2024-09-02")


def test_termly_trend_default_terms_and_a_schools_own(tmp_path):
    data = A.load_attendance(marks(tmp_path, TREND_MARKS))
    default = A.termly_trend(data)
    assert default["period"].tolist() == ["Autumn 2024", "Winter/spring 2025"]
    assert default["rate"].tolist() == [0.5, 1.0]
    terms = write(tmp_path, "terms.csv", "term,start,end\nTerm 1,19/08/2024,11/10/2024\n"
                                          "Term 2,28/10/2024,20/12/2024\n")
    own = A.termly_trend(data, terms=terms)
    assert own["period"].tolist() == ["Term 1"]       # January is in neither term
    assert own["rate"].tolist() == [0.5]


def test_trend_by_group(tmp_path):
    people = write(tmp_path, "pupils.csv", "pupil,fsm\nA,Yes\nB,No\n")
    data = A.load_attendance(marks(tmp_path, TREND_MARKS), people)
    trend = A.monthly_trend(data, rates=A.pupil_rates(data), by="fsm")
    september = trend[trend["period"] == "Sep 2024"].set_index("group")["rate"].to_dict()
    assert september == {"No": 0.5, "Yes": 1.0}


def test_a_totals_file_has_no_trend(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    assert A.monthly_trend(data).empty
    assert list(A.termly_trend(data).columns) == list(A.trends.TREND_COLUMNS)


# -- characteristics, SIMD and breakdowns ------------------------------------------------

@pytest.mark.parametrize(("decile", "quintile"),
                         [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5),
                          (10, 5)])
def test_decile_to_quintile(decile, quintile):
    assert A.decile_to_quintile(decile) == quintile


@pytest.mark.parametrize("decile", [0, 11])
def test_decile_out_of_range(decile):
    with pytest.raises(ValueError):
        A.decile_to_quintile(decile)


PUPILS = """pupil,SIMD Decile,FSM,Care experienced,Stage
Q1a,1,Y,yes,S1
Q1b,2,yes,No,S1
Q5a,9,N,no,S2
Q5b,10,no,,S2
Q3a,5,,Not known,S3
"""
PUPIL_TOTALS = """pupil,possible,attended
Q1a,100,80
Q1b,100,90
Q5a,100,96
Q5b,100,98
Q3a,100,100
"""


def test_quintile_breakdown_gap_and_basis(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    rates = A.pupil_rates(data)
    table = A.quintile_breakdown(rates)
    assert list(table.columns) == list(A.measures.BREAKDOWN_COLUMNS)
    assert table["group"].tolist() == ["Q1 (most deprived)", "Q2", "Q3", "Q4",
                                       "Q5 (least deprived)"]
    assert set(table["characteristic"]) == {"SIMD quintile (national)"}
    q = table.set_index("group")
    assert q.loc["Q1 (most deprived)", "rate"] == pytest.approx(170 / 200)
    assert q.loc["Q5 (least deprived)", "rate"] == pytest.approx(194 / 200)
    assert q.loc["Q1 (most deprived)", "low_attendance"] == 2   # 80% and 90%
    assert q.loc["Q2", "pupils"] == 0 and math.isnan(q.loc["Q2", "rate"])
    assert A.quintile_gap(rates) == pytest.approx((194 - 170) / 200 * 100)
    local = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                              write(tmp_path, "pupils.csv", PUPILS), simd_basis="local")
    assert set(A.quintile_breakdown(A.pupil_rates(local))["characteristic"]) == {
        "SIMD quintile (local)"}


def test_characteristics_are_tidied(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    pupils = data.pupils.set_index("pupil")
    assert list(data.pupils.columns) == list(A.pupils.PUPIL_COLUMNS)
    assert pupils["fsm"].to_dict() == {"Q1a": "Yes", "Q1b": "Yes", "Q5a": "No", "Q5b": "No",
                                       "Q3a": "Not recorded"}
    assert pupils["care_experienced"].to_dict()["Q3a"] == "Not recorded"
    assert pupils["simd_quintile"].tolist() == [1, 1, 5, 5, 3]
    assert pupils["sex"].unique().tolist() == ["Not recorded"]


def test_breakdown_by_each_characteristic(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    table = A.breakdowns(A.pupil_rates(data))
    assert set(table["characteristic"]) == {"Stage", "SIMD quintile (national)",
                                            "Free school meals", "Care experienced"}
    fsm = table[table["characteristic"] == "Free school meals"].set_index("group")
    assert fsm["pupils"].to_dict() == {"No": 2, "Yes": 2, "Not recorded": 1}
    assert fsm.loc["Yes", "rate"] == pytest.approx(170 / 200)


def test_characteristics_in_the_marks_file_itself(tmp_path):
    rows = ["A,02/09/2024,AM,10,3", "A,02/09/2024,PM,21,3", "B,02/09/2024,AM,10,10"]
    data = A.load_attendance(marks(tmp_path, rows, head=MARKS_HEAD.strip() + ",SIMD Decile\n"))
    assert data.pupils.set_index("pupil")["simd_quintile"].to_dict() == {"A": 2, "B": 5}


def test_zero_possible_openings_shown_as_such(tmp_path):
    rows = ["A,02/09/2024,AM,02", "A,02/09/2024,PM,02", "B,02/09/2024,AM,10"]
    data = A.load_attendance(marks(tmp_path, rows))
    rates = A.pupil_rates(data).set_index("pupil")
    assert rates.loc["A", "possible"] == 0 and math.isnan(rates.loc["A", "rate"])
    assert rates.loc["A", "band"] == "No possible openings"
    table = A.breakdown(A.pupil_rates(data), "sex")
    assert table[["pupils", "pupils_with_openings", "no_possible"]].values.tolist() == [[2, 1, 1]]
    assert table["rate"].tolist() == [1.0]


# -- sharing --------------------------------------------------------------------------------

def test_suppression_hides_counts_under_five_and_what_reveals_them():
    table = pd.DataFrame({
        "characteristic": ["Stage"] * 4, "group": ["S1", "S2", "S3", "S4"],
        "pupils": [3, 6, 20, 40], "pupils_with_openings": [3, 6, 20, 40],
        "possible": [300.0, 600, 2000, 4000], "attended": [270.0, 560, 1800, 3900],
        "rate": [0.9, 560 / 600, 0.9, 0.975], "low_attendance": [1, 2, 8, 0],
        "low_attendance_share": [1 / 3, 2 / 6, 0.4, 0.0], "no_possible": [0, 0, 0, 0]})
    shared = A.shareable(table).set_index("group")
    assert shared.loc["S1", "pupils"] == "<5"
    assert shared.loc["S1", "rate"] == "c" and shared.loc["S1", "possible"] == "c"
    # only S1 was small, so the next smallest (S2) is hidden too
    assert shared.loc["S2", "pupils"] == "c" and shared.loc["S2", "rate"] == "c"
    assert shared.loc["S3", "pupils"] == "20" and shared.loc["S3", "rate"] == "90.0%"
    assert shared.loc["S4", "low_attendance"] == "<5"          # 0 is under 5
    assert shared.loc["S4", "low_attendance_share"] == "c"
    assert shared.loc["S3", "low_attendance"] == "8"
    assert shared["suppressed"].tolist() == [True, True, False, False]
    assert list(A.shareable(table).columns) == [*table.columns, "suppressed"]


def test_suppression_of_a_real_breakdown_never_shows_a_small_count(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    shared = A.shareable(A.breakdowns(A.pupil_rates(data)))
    for column in ("pupils", "pupils_with_openings", "low_attendance", "no_possible"):
        shown = shared[column][~shared[column].isin(["<5", "c"])]
        assert all(int(v.replace(",", "")) >= 5 for v in shown)


# -- bad input: each message names file, row, column and value -----------------------------

def test_missing_column(tmp_path):
    path = marks(tmp_path, ["A,02/09/2024,AM"], head="Pupil Ref,Date,Session\n")
    err = refused(path)
    assert_names(err, file="marks.csv", row=1, column="code", value="'Session'")
    assert "columns=" in err.fix


def test_unmapped_column(tmp_path):
    path = marks(tmp_path, ["A,02/09/2024,AM,10"], head="Pupil Ref,Date,Session,Mark Code\n")
    err = refused(path, columns={"code": "Att Code"})
    assert_names(err, file="marks.csv", row=1, column="code", value="Att Code")


def test_unknown_code(tmp_path):
    err = refused(marks(tmp_path, ["A,02/09/2024,AM,10", "A,02/09/2024,PM,99"]))
    assert_names(err, file="marks.csv", row=3, column="Attendance Code", value="99")
    assert "code table" in str(err)


def test_unknown_code_is_fine_with_the_schools_own_code_table(tmp_path):
    codes = write(tmp_path, "codes.csv", "code,category,label\n99,attendance,Present\n"
                                          "X,unauthorised,Truancy\n")
    data = A.load_attendance(marks(tmp_path, ["A,02/09/2024,AM,99", "A,02/09/2024,PM,x"]),
                             codes=codes)
    assert data.totals[["possible", "attended", "unauthorised"]].values.tolist() == [[2, 1, 1]]


def test_a_bad_code_table_is_refused(tmp_path):
    codes = write(tmp_path, "codes.csv", "code,category\n10,attendance\n11,present\n")
    with pytest.raises(InputFileError) as info:
        A.load_codes(codes)
    assert_names(info.value, file="codes.csv", row=3, column="category", value="present")


def test_attended_greater_than_possible(tmp_path):
    err = refused(write(tmp_path, "totals.csv", "pupil,possible,attended\nA,10,9\nB,10,11\n"))
    assert_names(err, file="totals.csv", row=3, column="attended", value="11 attended of 10")


def test_negative_number(tmp_path):
    err = refused(write(tmp_path, "totals.csv", "pupil,possible,attended\nA,10,-3\n"))
    assert_names(err, file="totals.csv", row=2, column="attended", value="-3")


def test_text_in_a_number_column(tmp_path):
    err = refused(write(tmp_path, "totals.csv", "pupil,Possible Openings,attended\nA,ten,3\n"))
    assert_names(err, file="totals.csv", row=2, column="Possible Openings", value="ten")


def test_a_date_that_is_not_a_date(tmp_path):
    err = refused(marks(tmp_path, ["A,02/09/2024,AM,10", "A,31/02/2024,AM,10"]))
    assert_names(err, file="marks.csv", row=3, column="Date", value="31/02/2024")


def test_a_date_on_a_weekend(tmp_path):
    err = refused(marks(tmp_path, ["A,07/09/2024,AM,10"]))     # a Saturday
    assert_names(err, file="marks.csv", row=2, column="Date", value="07/09/2024")
    assert "weekend" in str(err)


def test_the_same_pupil_date_and_session_twice(tmp_path):
    err = refused(marks(tmp_path, ["A,02/09/2024,AM,10", "A,02/09/2024,PM,10",
                                   "A,2024-09-02,AM,21"]))
    assert_names(err, file="marks.csv", row=4, column="Session", value="A 2024-09-02 AM")


def test_duplicates_in_different_pieces_of_a_large_file_are_found(tmp_path, monkeypatch):
    monkeypatch.setattr(csvread, "CSV_SLICE_BYTES", 64)
    rows = [f"A,{d:02d}/09/2024,{s},10" for d in (2, 3, 4, 5, 6) for s in ("AM", "PM")]
    err = refused(marks(tmp_path, [*rows, "A,03/09/2024,PM,10"]))
    assert_names(err, file="marks.csv", row=12, column="Session", value="A 2024-09-03 PM")


@pytest.mark.parametrize("slice_bytes", [16, 64, 100])
def test_reading_in_small_pieces_gives_the_same_answer(tmp_path, monkeypatch, slice_bytes):
    rows = [*TREND_MARKS, "C,02/09/2024,AM,10", '"C","03/09/2024","AM","21"', "C,04/09/2024"]
    path = marks(tmp_path, rows)
    whole = A.load_attendance(path, skip_bad_rows=True)
    monkeypatch.setattr(csvread, "CSV_SLICE_BYTES", slice_bytes)
    source = sources.open_source(path, fields.MARKS_REQUIRED, {"marks":
                                   fields.MARKS_REQUIRED}, {})
    assert len(list(source.chunks())) > 1
    pieces = A.load_attendance(path, skip_bad_rows=True)
    pd.testing.assert_frame_equal(whole.totals, pieces.totals)
    assert pieces.skipped()["row"].tolist() == whole.skipped()["row"].tolist() == [16]


def test_a_pupil_in_the_marks_but_not_in_the_pupils_file(tmp_path):
    people = write(tmp_path, "pupils.csv", "pupil,fsm\nA,Yes\n")
    err = refused(marks(tmp_path, ["A,02/09/2024,AM,10", "P9,02/09/2024,AM,10"]), people)
    assert_names(err, file="marks.csv", row=3, column="Pupil Ref", value="P9")
    assert "pupils file" in str(err)


def test_a_session_that_is_not_am_or_pm(tmp_path):
    err = refused(marks(tmp_path, ["A,02/09/2024,Lunch,10"]))
    assert_names(err, file="marks.csv", row=2, column="Session", value="Lunch")


def test_a_row_with_too_few_cells(tmp_path):
    err = refused(marks(tmp_path, ["A,02/09/2024,AM,10", "A,02/09/2024", "A,03/09/2024,AM,10"]))
    assert_names(err, file="marks.csv", row=3, column="Pupil Ref", value="A,02/09/2024")


def test_an_empty_file(tmp_path):
    err = refused(write(tmp_path, "empty.csv", b""))
    assert err.file == "empty.csv" and err.row == 1 and err.column == "pupil"
    assert err.value == "" and "empty" in str(err)


def test_headings_but_no_rows(tmp_path):
    err = refused(write(tmp_path, "head.csv", MARKS_HEAD))
    assert_names(err, file="head.csv", row=2, column="pupil", value="")


def test_a_binary_file(tmp_path):
    err = refused(write(tmp_path, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert_names(err, file="photo.csv", row=1, column="pupil", value="PNG")
    assert "binary" in str(err)


def test_an_old_xls_file(tmp_path):
    err = refused(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))
    assert_names(err, file="old.xls", row=1, column="pupil", value="d0 cf 11 e0")


def test_a_damaged_xlsx(tmp_path):
    err = refused(write(tmp_path, "broken.xlsx", b"PK\x03\x04 not really a zip"))
    assert_names(err, file="broken.xlsx", row=1, column="pupil", value=".xlsx")


def test_every_problem_is_listed_and_nothing_is_loaded(tmp_path):
    err = refused(marks(tmp_path, ["A,02/09/2024,AM,99", "A,07/09/2024,AM,10",
                                   "A,02/09/2024,XX,10", "A,03/09/2024,AM,10"]))
    assert [(p.row, p.column) for p in err.problems] == [
        (2, "Attendance Code"), (3, "Date"), (4, "Session")]
    assert "2 more problems" in str(err) and "skip_bad_rows" in str(err)


# -- skip_bad_rows --------------------------------------------------------------------------

def test_skip_bad_rows_loads_the_rest_and_lists_every_row_skipped(tmp_path):
    rows = ["A,02/09/2024,AM,10", "A,02/09/2024,PM,99", "A,07/09/2024,AM,10",
            "A,03/09/2024,AM,21", "A,03/09/2024,AM,10", "B,02/09/2024,AM,10"]
    data = A.load_attendance(marks(tmp_path, rows), skip_bad_rows=True)
    assert data.totals.set_index("pupil")["possible"].to_dict() == {"A": 2, "B": 1}
    skipped = data.skipped()
    assert list(skipped.columns) == list(A.problems.SKIPPED_COLUMNS)
    assert skipped["row"].tolist() == [3, 4, 6]
    assert skipped["value"].tolist() == ["99", "07/09/2024", "A 2024-09-03 AM"]
    assert set(skipped["action"]) == {"row skipped"}
    report = data.reports[-1]
    assert (report.rows_read, report.rows_loaded) == (6, 3)


def test_skip_bad_rows_in_a_totals_file_and_a_pupils_file(tmp_path):
    totals = write(tmp_path, "totals.csv", "pupil,possible,attended\nA,10,9\nB,10,-1\nC,5,5\n")
    people = write(tmp_path, "pupils.csv", "pupil,fsm\nA,maybe\nA,Yes\nB,No\nC,No\n")
    data = A.load_attendance(totals, people, skip_bad_rows=True)
    assert data.totals["pupil"].tolist() == ["A", "C"]
    assert data.pupils.set_index("pupil")["fsm"].to_dict() == {"A": "Not recorded", "C": "No"}
    skipped = data.skipped()
    assert skipped[["file", "row", "value"]].values.tolist() == [
        ["pupils.csv", 2, "maybe"], ["pupils.csv", 3, "A"], ["totals.csv", 3, "-1"]]
    assert skipped["action"].tolist()[0].startswith("value left out")


# -- any bytes at all give a table or a partnerkit error -----------------------------------

CELLS = st.sampled_from(["A", "B", "02/09/2024", "2024-09-03", "07/09/2024", "AM", "PM", "pm",
                         "10", "21", "99", "", " ", '"', "x,y", "-1", "380", "\u00e9"])


def _small_xlsx() -> bytes:
    import io

    book = openpyxl.Workbook()
    book.active.append(["Pupil Ref", "Date", "Session", "Attendance Code"])
    book.active.append(["A", "02/09/2024", "AM", "10"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = _small_xlsx()


def _damage(edits: list[tuple[int, int]]) -> bytes:
    data = bytearray(XLSX)
    for position, byte in edits:
        data[position % len(data)] = byte
    return bytes(data)


ANY_BYTES = st.one_of(
    st.binary(max_size=400),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8).map(_damage),
)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=ANY_BYTES, suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_any_bytes_give_a_frame_or_an_input_file_error(tmp_path, content, suffix):
    path = write(tmp_path, f"input{suffix}", content)
    try:
        data = A.load_attendance(path, skip_bad_rows=True)
    except InputFileError as err:
        assert err.file
    else:
        assert isinstance(data.totals, pd.DataFrame)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from([MARKS_HEAD, "pupil,possible,attended\n", "pupil,date\n"]),
       rows=st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=12),
       skip=st.booleans())
def test_any_csv_like_text_gives_a_frame_or_an_input_file_error(tmp_path, head, rows, skip):
    path = write(tmp_path, "input.csv", head + "".join(",".join(r) + "\n" for r in rows))
    try:
        data = A.load_attendance(path, skip_bad_rows=skip)
    except InputFileError as err:
        assert err.file == "input.csv"
    else:
        rates = A.pupil_rates(data)
        assert rates["rate"].dropna().between(0, 1).all()


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.binary(max_size=20), min_size=1, max_size=200),
       fixed=st.booleans())
def test_factorize_gives_back_every_value(values, fixed):
    if fixed:
        width = max(len(v) for v in values)
        values = [v.ljust(width, b"0") for v in values]
    encoded = factorize(pa.array(values, type=pa.binary()))
    assert encoded.values() == values
    assert len(set(encoded.uniques)) == len(encoded.uniques)


# -- stretch aims, links, charts -------------------------------------------------------------

def test_stretch_aim_tracker_by_hand(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    rates = A.pupil_rates(data)
    trajectory = write(tmp_path, "aims.csv", "year,overall,q1,q5,gap,overall_actual\n"
                                              "2023/24,92,80,96,14,91\n2024/25,93,86,96,10,\n")
    tracker = A.stretch_aim_tracker(trajectory, rates, "2024/25")
    assert list(tracker.columns) == list(A.stretch.TRACKER_COLUMNS)
    this_year = tracker[tracker["year"] == "2024/25"].set_index("key")
    assert this_year.loc["overall", "actual"] == pytest.approx(464 / 500 * 100)  # 92.8%
    assert bool(this_year.loc["overall", "on_track"]) is False                   # target 93
    assert this_year.loc["q1", "actual"] == pytest.approx(85.0)
    assert this_year.loc["gap", "actual"] == pytest.approx(12.0)                 # 97 - 85
    assert bool(this_year.loc["gap", "on_track"]) is False                       # target 10
    last_year = tracker[tracker["year"] == "2023/24"].set_index("key")
    assert last_year.loc["overall", "difference"] == pytest.approx(-1.0)
    assert pd.isna(last_year.loc["q1", "on_track"])


def test_a_trajectory_with_text_for_a_number_is_refused(tmp_path):
    trajectory = write(tmp_path, "aims.csv", "year,overall\n2024/25,ninety\n")
    with pytest.raises(InputFileError) as info:
        A.read_trajectory(trajectory)
    assert_names(info.value, file="aims.csv", row=2, column="overall", value="ninety")


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


def test_charts_are_figures_and_nothing_is_shown(tmp_path):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    data = A.load_attendance(marks(tmp_path, TREND_MARKS))
    rates = A.pupil_rates(data)
    figures = [A.chart_quintiles(A.quintile_breakdown(rates)),
               A.chart_bands(A.band_counts(rates)), A.chart_trend(A.monthly_trend(data)),
               A.chart_stretch_aims(A.stretch_aim_tracker(None, rates, "2024/25"))]
    assert all(isinstance(f, Figure) for f in figures)
    assert plt.get_fignums() == before
    assert matplotlib.get_backend()


# -- demo files and the workbook -------------------------------------------------------------

def test_demo_files_are_deterministic_and_hold_the_pupils(tmp_path):
    refs = ["P-1001", "P-1002", "P-1003", "P-1004"]
    first = A.write_demo_files(tmp_path / "one", refs)
    second = A.write_demo_files(tmp_path / "two", refs)
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


def test_the_workbook_runs_on_the_demo_files(tmp_path, monkeypatch):
    import nbformat
    import papermill as pm

    from partnerkit.paths import workbooks_dir

    A.write_demo_files(tmp_path / "data" / "demo", ["P-1001", "P-1002"])
    monkeypatch.setenv("PARTNERKIT_DATA", str(tmp_path / "data"))
    source = workbooks_dir() / "attendance.ipynb"
    committed = nbformat.read(source, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in committed.cells if c.cell_type == "code")
    out = tmp_path / "attendance-out.ipynb"
    pm.execute_notebook(str(source), str(out), parameters={"threshold": 0.9},
                        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    done = nbformat.read(out, as_version=4)
    outputs = [o for c in done.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 5
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "mapping_tool.ipynb?pupil=P-1001&amp;workspace=demo" in html


def test_the_attendance_summary_report_holds_only_suppressed_tables(tmp_path):
    from partnerkit.attendance import summary_html
    from partnerkit.attendance.summary import shareable_overview

    folder = tmp_path / "data"
    files = A.write_demo_files(folder / "demo", ["P-1001", "P-1002"])
    page = summary_html("demo", data_dir=folder, attendance_file=str(files["attendance"]),
                        pupils_file=str(files["pupils"]))
    assert "Attendance summary" in page and "By SIMD quintile" in page
    assert "P-1001" not in page and "P-1002" not in page
    data = A.load_attendance(files["attendance"], files["pupils"])
    rates = A.pupil_rates(data)
    overview = shareable_overview(rates, 0.9)
    values = A.overview(rates, threshold=0.9).set_index("measure")["value"]
    for measure, shown in zip(overview["measure"], overview["shown"], strict=True):
        if measure.startswith("Pupils") and float(values[measure]) < 5:
            assert shown == "<5"
