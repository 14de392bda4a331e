"""A DataFrame as a plain table people read: cells in words, no row numbers, no raw values."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest
from markupsafe import Markup

from partnerkit.reports.cells import cell_text, format_number, format_percent, is_missing
from partnerkit.reports.frames import Column, frame_table, table_rows

RAW = re.compile(r"\bNaN\b|\bNone\b|\bNaT\b|<NA>|\bTrue\b|\bFalse\b|\bnan\b")


@pytest.mark.parametrize("value", [None, math.nan, np.nan, pd.NA, pd.NaT, np.datetime64("NaT"),
                                   np.float64("nan")])
def test_every_kind_of_missing_value_reads_as_the_missing_text(value):
    assert is_missing(value)
    for kind in ("text", "number", "count", "fraction", "percent", "date", "moment", "yes_no"):
        assert cell_text(value, kind) == ""
        assert cell_text(value, kind, missing="Not rated yet") == "Not rated yet"


@pytest.mark.parametrize("value", [0, 0.0, "", False, "None"])
def test_zero_empty_text_and_false_are_values_not_missing(value):
    assert not is_missing(value)


@pytest.mark.parametrize(("value", "shown"), [
    (200.0, "200"), (200.000000, "200"), (1234, "1,234"), (3.3333, "3.3"), (3.5, "3.5"),
    (np.float64(4.0), "4"), (np.int64(7), "7"), (-0.04, "0"), (1234567.25, "1,234,567.2"),
])
def test_numbers_read_without_trailing_zeros(value, shown):
    assert format_number(value) == shown
    assert cell_text(value, "number") == shown


@pytest.mark.parametrize(("value", "fraction", "shown"), [
    (0.875, True, "87.5%"), (0.891179, True, "89.1%"), (1, True, "100%"), (0, True, "0%"),
    (83, False, "83%"), (91.5, False, "91.5%"),
])
def test_percentages_read_with_a_percent_sign(value, fraction, shown):
    assert format_percent(value, fraction=fraction) == shown


def test_dates_and_moments_read_in_words_whatever_type_they_come_as():
    for day in (dt.date(2026, 10, 2), "2026-10-02", pd.Timestamp("2026-10-02")):
        assert cell_text(day, "date") == "2 October 2026"
    noon = dt.datetime(2026, 10, 2, 11, 0, tzinfo=dt.UTC)
    assert "October 2026" in cell_text(noon, "moment")
    assert "October 2026" in cell_text(pd.Timestamp(noon), "moment")
    assert "000" not in cell_text(pd.Timestamp(noon), "moment")          # no microseconds


def test_yes_no_and_a_plain_text_column_never_say_true_or_false():
    assert [cell_text(v, "yes_no") for v in (True, False, np.bool_(True))] == ["Yes", "No", "Yes"]
    assert cell_text(False) == "No" and cell_text(np.bool_(False)) == "No"


def test_an_unknown_kind_is_refused_where_the_column_is_described():
    with pytest.raises(ValueError, match="unknown kind 'percentage'"):
        Column("rate", "Rate", "percentage")
    with pytest.raises(ValueError, match="unknown kind"):
        cell_text(1, "money")


def test_markup_is_kept_and_text_is_escaped():
    link = Markup('<a href="x">Map</a>')
    html = frame_table(pd.DataFrame({"a": pd.Series([link], dtype=object),
                                     "b": ["<script>alert(1)</script>"]}),
                       [Column("a", "Link"), Column("b", "Typed", typed=True)], empty="")
    assert '<a href="x">Map</a>' in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html


FRAME = pd.DataFrame({
    "item_id": ["six_steps.1.1", "six_steps.1.2", "six_steps.1.3"],
    "kind": ["empty_layer", "unmet_need", "other"],
    "text": ["A long sentence " * 12, "two\nlines", None],
    "share": [0.875, np.nan, 0.5],
    "due": [dt.date(2026, 10, 2), None, pd.NaT],
    "ok": pd.array([True, False, pd.NA], dtype="boolean"),
})
COLUMNS = [Column("kind", "Gap", labels={"empty_layer": "No one on this layer",
                                        "unmet_need": "A need nobody helps with"}),
           Column("text", "What is missing", typed=True, missing="Not written yet"),
           Column("share", "Share", "fraction"), Column("due", "Due", "date"),
           Column("ok", "On track", "yes_no", missing="Not known yet")]


def test_only_the_named_columns_show_in_words():
    rows = table_rows(FRAME, COLUMNS)
    assert rows[0][0] == "No one on this layer" and rows[2][0] == "other"
    assert rows[0][1] == "A long sentence " * 12                         # whole, never cut
    assert rows[1] == ["A need nobody helps with", "two\nlines", "", "", "No"]
    assert rows[2][1:] == ["Not written yet", "50%", "", "Not known yet"]
    assert rows[0][2:] == ["87.5%", "2 October 2026", "Yes"]


def test_the_table_has_headings_no_row_numbers_no_ids_and_no_raw_values():
    html = frame_table(FRAME, COLUMNS, empty="", caption="Gaps")
    assert "<caption>Gaps</caption>" in html
    assert "<th></th>" not in html and "<th>0</th>" not in html
    assert [h for h in re.findall(r"<th scope=\"col\">(.*?)</th>", html)] == [
        "Gap", "What is missing", "Share", "Due", "On track"]
    assert "six_steps.1" not in html and "empty_layer" not in html
    assert not RAW.search(re.sub(r"<style>.*?</style>", "", html, flags=re.S))
    assert "…" not in html and 'class="pk-typed"' in html


def test_a_column_the_frame_lacks_is_named():
    with pytest.raises(KeyError, match="no column missing; it has item_id"):
        table_rows(FRAME, [Column("missing", "Missing")])


def test_an_empty_table_is_a_sentence_saying_what_to_do():
    html = frame_table(FRAME.iloc[0:0], COLUMNS, empty="No entries yet: write one below.")
    assert "No entries yet: write one below." in html
    assert "<table" not in html


def test_a_long_table_folds_the_rest_away_and_says_how_many():
    frame = pd.DataFrame({"n": range(25)})
    html = frame_table(frame, [Column("n", "Number", "count")], empty="", limit=10,
                       more=("pupil", "pupils"))
    shown, folded = html.split("<details", 1)
    assert shown.count("<td") == 10 and folded.count("<td") == 15
    assert "Show the other 15 pupils" in folded
    one = frame_table(frame.head(11), [Column("n", "Number")], empty="", limit=10,
                      more=("pupil", "pupils"))
    assert "Show the other 1 pupil<" in one
    short = frame_table(frame.head(10), [Column("n", "Number")], empty="", limit=10)
    assert "<details" not in short
