import csv
import stat

from openpyxl import load_workbook

from partnerkit import reports


def test_csv_neutralises_formulas_and_is_owner_only(tmp_path):
    rows = [{"pupil": "P-1001", "note": "=HYPERLINK(\"http://x\")", "score": -1},
            {"pupil": "P-1002", "note": "@SUM(1)", "score": 2}]
    path = reports.write_csv(tmp_path / "out" / "notes.csv", rows)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with path.open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert read[0]["note"] == "'=HYPERLINK(\"http://x\")"
    assert read[1]["note"] == "'@SUM(1)"
    assert read[0]["score"] == "-1"  # a number is a number, not text to neutralise


def test_csv_from_a_dataframe(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"=head": ["=1+1", "ok"], "n": [1, None]})
    path = reports.write_csv(tmp_path / "f.csv", frame)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["'=head,n", "'=1+1,1.0", "ok,"]


def test_xlsx_keeps_formula_text_as_text_and_is_owner_only(tmp_path):
    rows = [["P-1001", "=SUM(A1:A9)", 3], ["P-1002", "-minus", "bell\x07"]]
    path = reports.write_xlsx(tmp_path / "t.xlsx", rows, columns=["pupil", "note", "n"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sheet = load_workbook(path).active
    cell = sheet["B2"]
    assert cell.value == "=SUM(A1:A9)" and cell.data_type == "s" and cell.quotePrefix
    assert sheet["B3"].value == "-minus" and sheet["B3"].quotePrefix
    assert sheet["C3"].value == "bell[U+0007]"
    assert sheet["C2"].value == 3 and not sheet["C2"].quotePrefix
    assert [c.value for c in sheet[1]] == ["pupil", "note", "n"]
