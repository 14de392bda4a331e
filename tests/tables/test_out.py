"""Spreadsheets partnerkit writes never run a cell as a formula."""

from __future__ import annotations

import csv
import io
import stat

from hypothesis import given
from hypothesis import strategies as st

from partnerkit.reports import csv_text, write_csv
from partnerkit.tables import neutralise, unquote
from partnerkit.tables.out import FORMULA_PREFIXES


def test_csv_text_guards_every_formula_start_and_reads_back():
    rows = [["=1+1", "+44 141", "-3", "@SUM(A1)", "plain", None]]
    text = csv_text(rows, columns=["a", "b", "c", "d", "e", "f"])
    assert text.endswith("\r\n")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert list(row.values()) == ["'=1+1", "'+44 141", "'-3", "'@SUM(A1)", "plain", ""]
    assert [unquote(v) for v in row.values()] == ["=1+1", "+44 141", "-3", "@SUM(A1)",
                                                  "plain", ""]


def test_write_csv_is_owner_only_with_a_byte_order_mark(tmp_path):
    path = write_csv(tmp_path / "out" / "t.csv", [["=x"]], columns=["a"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"\xef\xbb\xbfa\r\n'=x")


RISKY_TEXT = st.lists(st.one_of(st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "\uff1d",
                                                 "\uff20", "a"]), st.text(max_size=3)),
                      max_size=8).map("".join)


@given(RISKY_TEXT)
def test_a_neutralised_value_never_starts_a_formula_and_unquotes_to_itself(value):
    safe = neutralise(value)
    assert not safe.startswith(FORMULA_PREFIXES)
    assert unquote(safe) == value


@given(RISKY_TEXT)
def test_unquote_changes_only_what_the_guard_wrote(value):
    """Text the guard leaves alone is read back as it is; guarded text gets one quote."""
    if neutralise(value) == value:
        assert unquote(value) == value
    else:
        assert neutralise(value) == "'" + value


def test_a_quote_before_a_formula_start_gets_one_more_quote():
    assert [neutralise(v) for v in ["'=x", "''@x", "'tis", "'", "x'="]] == [
        "''=x", "'''@x", "'tis", "'", "x'="]
    assert [unquote(v) for v in ["''=x", "'''@x", "'tis", "'", "'=x"]] == [
        "'=x", "''@x", "'tis", "'", "=x"]
