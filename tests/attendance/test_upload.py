"""An export given on the page: headings offered, then loaded whole or refused whole."""

from __future__ import annotations

import pytest

from partnerkit.attendance import upload
from partnerkit.errors import InputFileError

HEAD = "Learner,Date,Session,Attendance Code\n"
CHOSEN = {"pupil": "Learner", "date": "Date", "session": "Session", "code": "Attendance Code"}


def refused(data: bytes, name: str = "export.csv", columns=None) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        upload.load_export(data, name, CHOSEN if columns is None else columns, "marks")
    return info.value


def test_unknown_headings_are_offered_not_refused_and_a_remembered_match_is_used():
    data = (HEAD + "P-1,02/09/2024,AM,10\n").encode()
    heads = upload.read_headings(data, "export.csv")
    assert heads.headings == ("Learner", "Date", "Session", "Attendance Code")
    assert heads.shape == "marks" and not heads.complete and "pupil" not in heads.suggested
    again = upload.read_headings(data, "export.csv", {"pupil": "Learner"})
    assert again.complete and again.suggested["pupil"] == "Learner"


def test_a_good_export_loads_whole():
    data = (HEAD + "P-1,02/09/2024,AM,10\nP-1,02/09/2024,PM,31\n").encode()
    loaded = upload.load_export(data, "export.csv", CHOSEN, "marks")
    assert loaded.totals[["pupil", "possible", "attended"]].values.tolist() == [["P-1", 2, 1]]


@pytest.mark.parametrize(("data", "name", "columns", "words"), [
    (b"%PDF-1.4", "register.pdf", None, "not a CSV or Excel (.xlsx) file"),
    (HEAD.encode(), "export.csv", None, "no rows"),
    ((HEAD + "P-1,02/09/2024,AM,10\n").encode(), "export.csv",
     {**CHOSEN, "code": ""}, "no heading is chosen for attendance code"),
    ((HEAD + "P-1,02/09/2024,AM,10\n").encode(), "export.csv",
     {**CHOSEN, "code": "Session"}, "'Session' is chosen for both"),
    (b"", "export.csv", None, "the file is empty")])
def test_each_bad_file_gets_its_own_plain_message(data, name, columns, words):
    error = refused(data, name, columns)
    assert words in str(error) and error.fix


def test_a_bad_date_names_its_row_and_the_page_offers_no_loader_option():
    data = (HEAD + "P-1,02/09/2024,AM,10\nP-1,31/02/2024,AM,10\nP-1,03/09/2024,AM,99\n")
    error = refused(data.encode())
    assert error.row == 3 and "'31/02/2024' is not a date" in str(error)
    assert "1 more problem, listed below" in str(error) and len(error.problems) == 2
    assert "skip_bad_rows" not in str(error) and "correct the file" in str(error)
