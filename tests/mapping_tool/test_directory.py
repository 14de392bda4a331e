"""partnerkit.mapping_tool.directory: checked import, shared storage, editor and safe export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from partnerkit.errors import InputFileError
from partnerkit.mapping_tool import directory
from partnerkit.records.base import load_records
from partnerkit.records.mapping import DirectoryEntry
from partnerkit.store import Store

FRIENDLY = ["Organisation", "Type", "What it offers", "What it cannot offer",
            "Needs it helps with", "Area served", "Contact", "Key contact"]
ROWS = [
    ["Eastfield Youth Project", "Youth work", "Drop-in evenings", "Clinical support",
     "relationships; mental health", "Eastfield", "0141 000 0001", "Sam Reid"],
    ["Millbrae Food Larder", "Community group", "Food parcels", "Cash grants", "Poverty",
     "Millbrae", "0141 000 0003", ""],
]


def csv_bytes(rows, *, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def snapshot(store: Store):
    return ([e.model_dump() for e in load_records(store, "school", DirectoryEntry)],
            store.count_history("school"))


@pytest.fixture
def seeded(store: Store) -> Store:
    directory.import_directory(store, "school", csv_bytes([FRIENDLY, ROWS[0]]), "Ann",
                               name="first.csv")
    return store


# ------------------------------------------------------------------ good files


def test_a_csv_with_friendly_headings_is_imported_and_shared(store: Store, tmp_path: Path):
    path = tmp_path / "partners.csv"
    path.write_bytes(csv_bytes([FRIENDLY, *ROWS]))
    result = directory.import_directory(store, "school", path, "Ann")
    assert result.added == ["Eastfield Youth Project", "Millbrae Food Larder"]
    entries = directory.directory_entries(store, "school")
    assert [e.organisation for e in entries] == ["Eastfield Youth Project",
                                                 "Millbrae Food Larder"]
    assert entries[0].helps_with == ["relationships", "mental_health"]
    assert entries[0].cannot_offer == "Clinical support" and entries[0].key_contact == "Sam Reid"
    assert entries[1].helps_with == ["poverty"]
    assert "Imported 2 organisations from partners.csv: 2 new" in result.describe()


def test_an_xlsx_is_imported_with_numbers_as_text(store: Store):
    rows = [[*FRIENDLY, "Takes referrals", "Layer"],
            ["Calm Minds", "Charity", "Counselling", "", "mental_health, trauma",
             "Whole authority", 1410000004, "Dr Nair", "Yes", "Multi-agency support"]]
    result = directory.import_directory(store, "school", xlsx_bytes(rows), "Ann",
                                        name="partners.xlsx")
    (entry,) = directory.directory_entries(store, "school")
    assert result.added == ["Calm Minds"]
    assert entry.contact == "1410000004" and entry.takes_referrals is True
    assert entry.layer == "multi_agency" and entry.helps_with == ["mental_health", "trauma"]


def test_cp1252_and_semicolons_from_excel_are_read(store: Store):
    rows = [FRIENDLY, ["Café Connect", "Charity", "Meals", "", "poverty", "Eastfield", "", ""]]
    directory.import_directory(store, "school", csv_bytes(rows, encoding="cp1252",
                                                          delimiter=";"), "Ann", name="x.csv")
    assert directory.directory_entries(store, "school")[0].organisation == "Café Connect"


def test_reimporting_updates_by_organisation_and_keeps_the_rest(seeded: Store):
    changed = [FRIENDLY, [*ROWS[0][:2], "Drop-in and summer programme", *ROWS[0][3:]], ROWS[1]]
    result = directory.import_directory(seeded, "school", csv_bytes(changed), "Bo",
                                        name="second.csv")
    assert result.updated == ["Eastfield Youth Project"] and result.added == [
        "Millbrae Food Larder"]
    again = directory.import_directory(seeded, "school", csv_bytes(changed), "Bo", name="x.csv")
    assert again.unchanged == ["Eastfield Youth Project", "Millbrae Food Larder"]
    only = directory.import_directory(seeded, "school", csv_bytes([FRIENDLY, ROWS[1]]), "Bo",
                                      name="y.csv", replace=True)
    assert only.removed == ["Eastfield Youth Project"]
    assert [e.organisation for e in directory.directory_entries(seeded, "school")] == [
        "Millbrae Food Larder"]


def test_columns_that_are_not_directory_columns_are_reported_not_stored(store: Store):
    rows = [[*FRIENDLY, "Notes from 2023"], [*ROWS[0], "met in May"]]
    result = directory.import_directory(store, "school", csv_bytes(rows), "Ann", name="n.csv")
    assert result.ignored_columns == ["Notes from 2023"]
    assert "Columns not used: 'Notes from 2023'" in result.describe()


# ------------------------------------------------------------------ bad files


def bad(store: Store, data: bytes, name: str = "partners.csv") -> InputFileError:
    before = snapshot(store)
    with pytest.raises(InputFileError) as caught:
        directory.import_directory(store, "school", data, "Ann", name=name)
    assert snapshot(store) == before, "the stored directory must be untouched"
    assert name in str(caught.value)
    return caught.value


def test_a_missing_column_is_named_with_the_headings_wanted(seeded: Store):
    rows = [[h for h in FRIENDLY if h != "Area served"], [*ROWS[0][:5], *ROWS[0][6:]]]
    error = bad(seeded, csv_bytes(rows))
    assert error.row == 1 and error.column == "area"
    assert "the column 'area' is missing" in str(error)
    assert "row 1" in str(error) and "organisation, type, offers" in str(error)


def test_a_misspelt_column_gets_a_suggestion(seeded: Store):
    rows = [["Organsation", *FRIENDLY[1:]], ROWS[0]]
    error = bad(seeded, csv_bytes(rows))
    assert error.column == "Organsation" and error.value == "Organsation"
    assert "did you mean 'organisation'?" in str(error)
    assert "rename the heading to 'organisation'" in str(error)


def test_a_loosely_spelt_heading_is_matched_to_the_missing_column(seeded: Store):
    rows = [[*FRIENDLY[:5], "Areas we serve", *FRIENDLY[6:]], ROWS[0]]
    error = bad(seeded, csv_bytes(rows))
    assert "heading 'Areas we serve' is not a directory column; did you mean 'area'?" in str(
        error)
    assert len(error.problems) == 1


def test_a_missing_column_names_the_heading_probably_meant(seeded: Store):
    rows = [[*FRIENDLY[:5], "Local area", *FRIENDLY[6:]], ROWS[0]]
    error = bad(seeded, csv_bytes(rows))
    assert "the column 'area' is missing (is 'Local area' meant to be 'area'?" in str(error)


def test_a_column_given_twice_is_refused(seeded: Store):
    rows = [[*FRIENDLY, "Organization"], [*ROWS[0], "Other"]]
    error = bad(seeded, csv_bytes(rows))
    assert "the column 'organisation' appears twice" in str(error)


def test_an_empty_row_is_named_by_its_row_number(seeded: Store):
    rows = [FRIENDLY, ROWS[0], ["", "", ""], ROWS[1]]
    error = bad(seeded, csv_bytes(rows))
    assert error.row == 3 and "row 3" in str(error) and "the row is empty" in str(error)
    assert "delete the empty row" in str(error)


def test_trailing_blank_rows_are_not_problems(store: Store):
    rows = [FRIENDLY, ROWS[0], ["", ""], [""]]
    directory.import_directory(store, "school", xlsx_bytes(rows), "Ann", name="t.xlsx")
    assert len(directory.directory_entries(store, "school")) == 1


def test_a_duplicate_organisation_names_both_rows(seeded: Store):
    rows = [FRIENDLY, ROWS[0], ROWS[1], ["eastfield  youth project", *ROWS[0][1:]]]
    error = bad(seeded, csv_bytes(rows))
    assert error.row == 4 and error.column == "organisation"
    assert "listed twice (first in row 2)" in str(error)
    assert error.value == "eastfield  youth project"


def test_text_where_yes_or_no_is_expected(seeded: Store):
    rows = [[*FRIENDLY, "Takes referrals"], [*ROWS[0], "maybe"]]
    error = bad(seeded, csv_bytes(rows))
    assert (error.row, error.column, error.value) == (2, "takes_referrals", "maybe")
    assert "row 2, column 'takes_referrals' 'maybe': is not yes or no" in str(error)
    assert "write yes or no" in str(error)


def test_an_unknown_need_is_named_with_a_suggestion(seeded: Store):
    rows = [FRIENDLY, [*ROWS[0][:4], "povrety", *ROWS[0][5:]]]
    error = bad(seeded, csv_bytes(rows))
    assert (error.row, error.column, error.value) == (2, "helps_with", "povrety")
    assert "did you mean 'poverty'?" in str(error)


def test_an_unknown_layer_is_refused(seeded: Store):
    rows = [[*FRIENDLY, "Layer"], [*ROWS[0], "the moon"]]
    error = bad(seeded, csv_bytes(rows))
    assert (error.column, error.value) == ("layer", "the moon")


def test_a_row_without_an_organisation_is_refused(seeded: Store):
    rows = [FRIENDLY, ["", *ROWS[0][1:]]]
    error = bad(seeded, csv_bytes(rows))
    assert (error.row, error.column) == (2, "organisation")


def test_a_value_too_long_for_its_field_is_refused(seeded: Store):
    rows = [FRIENDLY, [*ROWS[0][:5], "x" * 300, *ROWS[0][6:]]]
    error = bad(seeded, csv_bytes(rows))
    assert (error.row, error.column) == (2, "area")
    assert "at most 200 characters" in str(error)


def test_every_problem_is_listed_not_only_the_first(seeded: Store):
    rows = [[*FRIENDLY, "Takes referrals"], [*ROWS[0], "maybe"], [""] * 9,
            [*ROWS[1], "perhaps"]]
    error = bad(seeded, csv_bytes(rows))
    assert [(p.row, p.column) for p in error.problems] == [(2, "takes_referrals"), (3, None),
                                                           (4, "takes_referrals")]
    assert "and 2 more problems" in str(error)


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                                  bytes(range(256)) * 4])
def test_a_binary_file_is_refused(seeded: Store, data: bytes):
    error = bad(seeded, data, name="directory.csv")
    assert "binary file" in str(error) and "choose the .csv or .xlsx file" in str(error)


def test_an_old_excel_file_is_refused(seeded: Store):
    error = bad(seeded, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, name="old.xls")
    assert "save it as .xlsx or CSV" in str(error)


def test_a_text_file_named_xlsx_is_refused(seeded: Store):
    error = bad(seeded, b"organisation,type\nA,B\n", name="directory.xlsx")
    assert "not a readable XLSX workbook" in str(error)


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(seeded: Store, data: bytes):
    error = bad(seeded, data, name="empty.csv")
    assert "empty" in str(error)


def test_headings_without_organisations_are_refused(seeded: Store):
    error = bad(seeded, csv_bytes([FRIENDLY]), name="headings.csv")
    assert "has headings but no rows of data" in str(error)


def test_a_missing_path_is_a_clear_message(store: Store, tmp_path: Path):
    with pytest.raises(InputFileError, match="nothing.csv.*cannot be read"):
        directory.import_directory(store, "school", tmp_path / "nothing.csv", "Ann")


# ------------------------------------------------------------------ export


def test_export_neutralises_formulas_and_reimports_the_same(store: Store, tmp_path: Path):
    rows = [FRIENDLY, ["=HYPERLINK(\"http://x\")", "+cmd", "-1+2", "@SUM(A1)",
                       "poverty", "\tTabbed", "+44 141 000 0000", "Plain"]]
    directory.import_directory(store, "school", csv_bytes(rows), "Ann", name="f.csv")
    text = directory.export_directory_csv(store, "school")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["organisation"] == "'=HYPERLINK(\"http://x\")"
    assert row["type"] == "'+cmd" and row["offers"] == "'-1+2"
    assert row["cannot_offer"] == "'@SUM(A1)"
    assert row["area"] == "Tabbed"  # surrounding whitespace is stripped on import
    assert row["contact"] == "'+44 141 000 0000" and row["key_contact"] == "Plain"
    before = [e.model_dump() for e in directory.directory_entries(store, "school")]
    path = directory.export_directory_csv(store, "school", tmp_path / "out" / "directory.csv")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    result = directory.import_directory(store, "school", path, "Ann")
    assert result.unchanged == [before[0]["organisation"]]
    assert [e.model_dump() for e in directory.directory_entries(store, "school")] == before


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_each_formula_start_is_neutralised(value):
    assert directory.neutralise(value) == "'" + value


@given(st.text(max_size=30))
def test_neutralised_values_never_start_a_formula(value):
    safe = directory.neutralise(value)
    assert not safe.startswith(directory.FORMULA_STARTS)
    assert safe == value or safe == "'" + value


# ------------------------------------------------------------------ editor


def upload(editor, name: str, data: bytes) -> None:
    editor.upload.value = ({"name": name, "type": "text/csv", "size": len(data),
                            "content": memoryview(data),
                            "last_modified": dt.datetime(2026, 9, 1, tzinfo=dt.UTC)},)


def test_the_editor_imports_an_upload_and_shows_the_table(store: Store):
    editor = directory.DirectoryEditor(store, "school", "Ann")
    assert "The directory is empty" in editor.table.value
    upload(editor, "partners.csv", csv_bytes([FRIENDLY, *ROWS]))
    assert "✓ Imported 2 organisations" in editor.message.value
    assert "Millbrae Food Larder" in editor.table.value
    assert [label for label, _ in editor.chooser.options] == ["Eastfield Youth Project",
                                                               "Millbrae Food Larder"]
    assert "data:text/csv;base64," in editor.download.value


def test_the_editor_shows_every_problem_and_changes_nothing(seeded: Store):
    editor = directory.DirectoryEditor(seeded, "school", "Ann")
    before = snapshot(seeded)
    upload(editor, "bad.csv", csv_bytes([[*FRIENDLY, "Takes referrals"], [*ROWS[1], "maybe"],
                                         ["<b>x</b>", *ROWS[0][1:], "perhaps"]]))
    assert "Nothing was imported; the directory is unchanged" in editor.message.value
    assert "row 2" in editor.message.value and "row 3" in editor.message.value
    assert "<b>x</b>" not in editor.message.value
    assert snapshot(seeded) == before


def test_the_editor_adds_and_edits_through_the_form(seeded: Store):
    editor = directory.DirectoryEditor(seeded, "school", "Ann")
    form = editor.edit(None)
    form.editors["organisation"].input.value = "Young Carers Network"
    form.editors["helps_with"].input.value = ["family_dynamics"]
    assert "Young Carers Network" in editor.table.value
    form = editor.edit("eastfield youth project")
    form.editors["area"].input.value = "Eastfield and Millbrae"
    entries = {e.organisation: e for e in directory.directory_entries(seeded, "school")}
    assert entries["Young Carers Network"].helps_with == ["family_dynamics"]
    assert entries["Eastfield Youth Project"].area == "Eastfield and Millbrae"


def test_the_form_refuses_an_organisation_already_in_the_directory(seeded: Store):
    editor = directory.DirectoryEditor(seeded, "school", "Ann")
    form = editor.edit(None)
    form.editors["organisation"].input.value = "Eastfield youth project"
    assert "already in the directory" in form.editors["organisation"].message.value
    (entry,) = directory.directory_entries(seeded, "school")
    assert entry.offers == "Drop-in evenings"


def test_the_editor_cell_uses_the_session(demo_data: Path):
    from partnerkit import session

    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann")
    editor = directory.directory_editor(s)
    assert "Calm Minds Counselling" in editor.table.value
