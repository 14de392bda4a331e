"""Any table partnerkit writes (CSV or XLSX) is read back by partnerkit exactly as written.

This is the floor under every export meant to be imported again (the partner directory,
the attendance column mapping): values from every risky class survive
``csv_text``/``write_csv``/``write_xlsx`` → ``open_source`` → ``read_text``, with the
spreadsheet guard undone by ``unquote`` in CSV only, and no dialect guessing.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerkit.reports import csv_text, write_csv, write_xlsx
from partnerkit.tables import HeadingMatcher, Wanted, open_source, read_text, unquote

MATCHER = HeadingMatcher({"name": "the name", "note": "a note"})
WANTED = Wanted(MATCHER, ("name", "note"), {"table": ("name", "note")})
PIECES = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "'", "\t", "\r", "\n",
          "\r\n", '"', ",", ";", "|", " ", "\ufeff", "مرحبا", "中文", "한국어", "😀", "NA",
          "null", "TRUE", "1.0", "007", "name", "note"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES),
                          st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")),
                                  max_size=6)), max_size=10).map("".join)
LONG = st.builds(lambda part, n: part * n, st.sampled_from(PIECES), st.integers(100, 3000))
NAME = TEXT.filter(lambda t: t.strip())
ROWS = st.lists(st.tuples(NAME, st.one_of(TEXT, LONG)), min_size=1, max_size=6)


def _read(source) -> list[tuple[str, str]]:
    frame, _rows = read_text(source)
    guard = unquote if source.kind == "csv" else str
    return [(guard(a), guard(b)) for a, b in zip(frame["name"], frame["note"], strict=True)]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_csv_and_xlsx_tables_read_back_as_written(tmp_path: Path, rows):
    expected = [tuple(r) for r in rows]
    as_text = csv_text(rows, columns=["name", "note"]).encode("utf-8")
    assert _read(open_source(as_text, WANTED, name="t.csv", whole=True)) == expected
    csv_path = write_csv(tmp_path / "t.csv", rows, columns=["name", "note"])
    assert _read(open_source(csv_path, WANTED, whole=True)) == expected
    xlsx_path = write_xlsx(tmp_path / "t.xlsx", rows, columns=["name", "note"])
    assert _read(open_source(xlsx_path, WANTED)) == expected
