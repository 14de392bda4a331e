"""Small attendance files worked out by hand, shared by the attendance tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerkit import attendance as A
from partnerkit.errors import InputFileError

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


TOTALS = """pupil,possible,attended,authorised,unauthorised,exclusion
P1,380,342,20,18,0
P2,380,343,20,17,0
P3,0,0,0,0,0
P4,200,100,50,50,0
P5,200,99,50,51,0
P6,200,190,10,0,0
"""

HAND_MARKS = [
    "A,02/09/2024,AM,10", "A,02/09/2024,PM,11", "A,03/09/2024,am,21", "A,03/09/2024,pm,33",
    "A,04/09/2024,AM,40", "A,04/09/2024,PM,02",
    "B,2024-09-02,AM,10", "B,2024-09-02,PM,10", "B,2024-09-03,AM,2", "B,2024-09-03,PM,02",
]

TREND_MARKS = [
    # September: A 2/2, B 1/2 -> 3/4; October: A 1/2, B 0/2 -> 1/4; January: 4/4
    "A,02/09/2024,AM,10", "A,02/09/2024,PM,10", "B,02/09/2024,AM,10", "B,02/09/2024,PM,21",
    "A,01/10/2024,AM,10", "A,01/10/2024,PM,33", "B,01/10/2024,AM,31", "B,01/10/2024,PM,40",
    "A,13/01/2025,AM,10", "A,13/01/2025,PM,11", "B,13/01/2025,AM,10", "B,13/01/2025,PM,12",
]

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

