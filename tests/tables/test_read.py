"""Opening CSV and XLSX files from a path or an upload's bytes: one reader for every table."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerkit.errors import InputFileError
from partnerkit.tables import HeadingMatcher, Wanted, open_source, read_text

MATCHER = HeadingMatcher({"name": "the name", "note": "a note"}, {"name": ("organisation",)})
WANTED = Wanted(MATCHER, ("name", "note"), {"table": ("name",)})


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def text_of(source):
    frame, rows = read_text(source)
    return frame.to_dict("records"), rows.tolist()


def test_a_path_and_the_same_bytes_read_the_same(tmp_path):
    data = b"Report of 1 May\nOrganisation,Note\nA,x\nB,y\n"
    (tmp_path / "t.csv").write_bytes(data)
    from_path = text_of(open_source(tmp_path / "t.csv", WANTED))
    from_bytes = text_of(open_source(data, WANTED, name="t.csv"))
    assert from_path == from_bytes == ([{"name": "A", "note": "x"},
                                        {"name": "B", "note": "y"}], [3, 4])


def test_an_upload_of_a_workbook_is_read_from_its_bytes():
    source = open_source(xlsx([["Name", "Note"], ["A", 7], [None, None], ["B", 1.0]]), WANTED,
                         name="up.xlsx")
    assert text_of(source) == ([{"name": "A", "note": "7"}, {"name": "B", "note": "1"}], [2, 4])


def test_a_whole_table_may_hold_line_breaks_in_quoted_values():
    data = b'name,note\nA,"two\nlines"\nB,one\n'
    frame, _ = read_text(open_source(data, WANTED, name="t.csv", whole=True))
    assert frame["note"].tolist() == ["two\nlines", "one"]


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"", "e.csv", "empty"), (b"\xef\xbb\xbf \r\n", "e.csv", "empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "old.xls", "old Excel .xls"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "p.csv", "binary file"),
    (b"name,note\nA,B\n", "t.xlsx", "not a readable XLSX workbook"),
    (b"name,note\n", "h.csv", "headings but no rows"),
    (b"title,other\nA,B\n", "m.csv", "the column 'name' is missing"),
])
def test_every_bad_file_is_one_clear_error_naming_the_file(data, name, words):
    with pytest.raises(InputFileError) as info:
        open_source(data, WANTED, name=name)
    assert info.value.file == name and words in str(info.value) and info.value.fix


def test_a_missing_path_says_it_cannot_be_read(tmp_path):
    with pytest.raises(InputFileError, match="nothing.csv.*cannot be read"):
        open_source(tmp_path / "nothing.csv", WANTED)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300),
                      st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
                      st.lists(st.sampled_from(["name", "note", "A", "", '"', ",", "\n", ";",
                                                "\u00e9"]), max_size=30)
                      .map(lambda parts: "".join(parts).encode())),
       suffix=st.sampled_from([".csv", ".xlsx", ".txt"]), whole=st.booleans())
def test_any_bytes_give_records_or_an_input_file_error(data, suffix, whole):
    try:
        source = open_source(data, WANTED, name=f"in{suffix}", whole=whole)
        frame, rows = read_text(source)
    except InputFileError as err:
        assert err.file == f"in{suffix}"
    else:
        assert len(frame) == len(rows) and "name" in frame


# ------------------------------------------------------------------ no dialect guessing


@pytest.mark.parametrize("noise", [";", "\t", "|", "; ; ;", "\t\t\t"])
def test_a_comma_file_is_read_as_comma_whatever_its_values_hold(noise):
    """Separators inside values never make the reader take the file for another dialect."""
    rows = [f'"{noise * 20}{i}","x{noise}y"' for i in range(25)]
    data = ("name,note\r\n" + "\r\n".join(rows) + "\r\n").encode()
    source = open_source(data, WANTED, name="t.csv", whole=True)
    frame, _ = read_text(source)
    assert source.delimiter == ","
    assert frame["name"].tolist() == [f"{noise * 20}{i}" for i in range(25)]
    assert set(frame["note"]) == {f"x{noise}y"}


def test_the_quote_character_is_always_the_double_quote():
    source = open_source(b"name,note\n'@Home,\"'a, b'\"\n'=x,b\n", WANTED, name="t.csv",
                         whole=True)
    assert text_of(source)[0] == [{"name": "'@Home", "note": "'a, b'"},
                                  {"name": "'=x", "note": "b"}]


@pytest.mark.parametrize(("data", "delimiter"), [
    (b"Name;Note\nA;x, y\nB;z\n", ";"),
    (b"Surname, Forename\tName\tNote\nS, F\tA\tx, y\nS, G\tB\tz\n", "\t"),
    (b"Name|Note\nA|x, y\nB|z\n", "|"),
])
def test_another_separator_is_tried_only_when_commas_do_not_give_the_headings(data, delimiter):
    source = open_source(data, WANTED, name="t.csv", whole=True)
    assert source.delimiter == delimiter
    assert text_of(source)[0] == [{"name": "A", "note": "x, y"}, {"name": "B", "note": "z"}]


def test_a_value_starting_with_a_byte_order_mark_keeps_it():
    data = "\ufeffname,note\r\n\ufeffA,\ufeffx\r\nB,y\r\n".encode()
    for whole in (True, False):
        records, rows = text_of(open_source(data, WANTED, name="t.csv", whole=whole))
        assert records == [{"name": "\ufeffA", "note": "\ufeffx"}, {"name": "B", "note": "y"}]
        assert rows == [2, 3]


@pytest.mark.parametrize(("data", "name", "value"), [
    (b"", "e.csv", "0 bytes"), (b"\xef\xbb\xbf \r\n", "e.csv", "6 bytes"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "old.xls", "d0 cf 11 e0"),
    (b"%PDF-1.7\n" + bytes(range(1, 200)), "p.csv", "25 50 44 46"),
    (b"\xff\xfe" + bytes(range(256)), "u.csv", "ff fe 00 01"),
    (bytes(range(1, 256)) * 2, "r.csv", "01 02 03 04"),
    (b"name,note\nA,B\n", "t.xlsx", ".xlsx"),
])
def test_a_wrong_file_is_named_as_a_whole_not_as_a_missing_column(data, name, value):
    with pytest.raises(InputFileError) as info:
        open_source(data, WANTED, name=name)
    err = info.value
    assert err.file == name and err.column is None and err.row is None
    assert "column" not in str(err).split(":")[0] and "missing" not in str(err)
    assert value in str(err.value) and name in err.fix
