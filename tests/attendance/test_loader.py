"""Loading exports: headings found, files of every shape, every problem named."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerkit import attendance as A
from partnerkit.attendance import fields
from partnerkit.errors import InputFileError
from partnerkit.tables import Wanted, csvread, open_source
from tests.attendance.samples import (
    HAND_MARKS,
    MARKS_HEAD,
    TREND_MARKS,
    assert_names,
    marks,
    refused,
    write,
)


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


def test_characteristics_in_the_marks_file_itself(tmp_path):
    rows = ["A,02/09/2024,AM,10,3", "A,02/09/2024,PM,21,3", "B,02/09/2024,AM,10,10"]
    data = A.load_attendance(marks(tmp_path, rows, head=MARKS_HEAD.strip() + ",SIMD Decile\n"))
    assert data.pupils.set_index("pupil")["simd_quintile"].to_dict() == {"A": 2, "B": 5}


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
    source = open_source(path, Wanted(fields.MATCHER, fields.MARKS_REQUIRED,
                                      {"marks": fields.MARKS_REQUIRED}))
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


def _file_wide(err: InputFileError, *, file: str, value: str, words: str) -> None:
    """A wrong file is named as a whole: no row, no column, no 'missing pupil column'."""
    assert err.file == file and err.row is None and err.column is None
    assert words in str(err) and value in str(err.value) and value in str(err)
    assert "pupil" not in str(err) and "missing" not in str(err)
    assert err.fix and file in err.fix and err.fix in str(err)


@pytest.mark.parametrize("content", [b"", b"\r\n \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file(tmp_path, content):
    err = refused(write(tmp_path, "empty.csv", content))
    _file_wide(err, file="empty.csv", value=f"{len(content)} bytes",
               words="the file is empty: it has no headings and no rows")
    assert "export the data again as CSV or XLSX" in err.fix


def test_an_empty_file_named_xlsx(tmp_path):
    err = refused(write(tmp_path, "empty.xlsx", b""))
    _file_wide(err, file="empty.xlsx", value="0 bytes", words="the file is empty")


def test_headings_but_no_rows(tmp_path):
    err = refused(write(tmp_path, "head.csv", MARKS_HEAD))
    assert_names(err, file="head.csv", row=2, column="pupil", value="")


@pytest.mark.parametrize(("content", "value", "words"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "89 50 4e 47", "(it looks like a PNG picture)"),
    (b"%PDF-1.4\n" + bytes(range(1, 256)), "25 50 44 46", "(it looks like a PDF)"),
    (bytes(range(1, 256)) * 4, "01 02 03 04", "binary file"),
    (b"\xff\xfe" + bytes(range(7, 256)) * 2, "ff fe 07 08", "binary file"),
])
def test_a_binary_file(tmp_path, content, value, words):
    err = refused(write(tmp_path, "photo.csv", content))
    _file_wide(err, file="photo.csv", value=value, words=words)
    assert "not a CSV or XLSX file" in str(err) and "choose the .csv or .xlsx file" in err.fix


def test_an_old_xls_file(tmp_path):
    err = refused(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))
    _file_wide(err, file="old.xls", value="d0 cf 11 e0", words="old Excel .xls file")
    assert "save it as .xlsx or CSV" in err.fix


def test_a_text_export_named_xls_is_read_as_the_text_it_is(tmp_path):
    """Some MIS 'Excel' exports are tab-separated text named .xls: they are read."""
    text = "Pupil Ref\tDate\tSession\tCode\nA\t02/09/2024\tAM\t10\nA\t02/09/2024\tPM\t21\n"
    data = A.load_attendance(write(tmp_path, "export.xls", text.encode()))
    assert data.totals[["possible", "attended"]].values.tolist() == [[2, 1]]


def test_a_damaged_xlsx(tmp_path):
    err = refused(write(tmp_path, "broken.xlsx", b"PK\x03\x04 not really a zip"))
    _file_wide(err, file="broken.xlsx", value=".xlsx", words="not a readable XLSX workbook")


def test_wrong_headings_say_what_the_person_can_really_do(tmp_path):
    err = refused(write(tmp_path, "wrong.csv", "Name,When,What\nA,02/09/2024,x\n"))
    assert_names(err, file="wrong.csv", row=1, column="pupil", value="'Name', 'When', 'What'")
    assert "--" not in err.fix  # no command-line option that does not exist
    assert "columns={'pupil': 'Your heading'}" in err.fix and "columns setting" in err.fix
    assert "'pupil'" in err.fix and "Pupil Ref" in err.fix
    assert [p.column for p in err.problems] == ["pupil", "date", "session", "code"]
    assert all("columns={'" + p.column + "'" in p.fix for p in err.problems)


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


