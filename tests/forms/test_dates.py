"""Dates are typed and shown day/month/year whatever the browser's locale."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.forms.dates import DateBox, DateError, parse_date, show_date

DAYS = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


@pytest.mark.parametrize("typed", ["2/10/2026", "02/10/2026", "02.10.2026", "2-10-2026",
                                   "2 10 2026", " 02 / 10 / 2026 ", "2026-10-02",
                                   "2 October 2026", "2 Oct 2026", "2nd october 2026"])
def test_the_ways_staff_write_a_date_all_read_day_first(typed):
    assert parse_date(typed) == dt.date(2026, 10, 2)


@given(DAYS)
def test_a_date_shown_in_the_box_reads_back_as_itself(day):
    assert parse_date(show_date(day)) == day


@given(DAYS, st.sampled_from(["/", ".", "-", " "]))
def test_any_separator_between_day_month_and_year_reads_the_same(day, sep):
    assert parse_date(f"{day.day}{sep}{day.month}{sep}{day.year}") == day


def test_an_empty_box_is_no_date():
    assert parse_date("") is None
    assert parse_date("   ") is None
    assert parse_date(None) is None


@pytest.mark.parametrize(("typed", "said"), [
    ("01/01/202", "the year is not finished (it reads 202); type all four digits"),
    ("1/1/20", "the year is not finished (it reads 20)"),
    ("31/02/2026", "'31/02/2026' is not a date: February 2026 has 28 days"),
    ("29/02/2027", "February 2027 has 28 days"),
    ("31/04/2026", "April 2026 has 30 days"),
    ("0/10/2026", "October 2026 has 31 days"),
    ("10/13/2026", "'10/13/2026': 13 is not a month (the month comes second, from 1 to 12)"),
    ("02/10", "'02/10' has no year"),
    ("2 Octember 2026", "'2 Octember 2026' is not a date this form can read"),
    ("soon", "'soon' is not a date this form can read"),
])
def test_a_bad_date_is_refused_naming_what_was_typed_and_how_to_write_it(typed, said):
    with pytest.raises(DateError) as refused:
        parse_date(typed)
    assert said in str(refused.value)
    assert "for example 02/10/2026" in str(refused.value)


def test_the_leap_day_is_a_date_in_a_leap_year():
    assert parse_date("29/02/2028") == dt.date(2028, 2, 29)


def test_the_box_shows_a_date_given_to_it_day_first_and_sends_only_when_left():
    box = DateBox()
    box.value = dt.date(2026, 10, 2)
    assert box.value == "02/10/2026"
    assert box.date == dt.date(2026, 10, 2)
    assert box.continuous_update is False
    assert box.placeholder == "dd/mm/yyyy"
    box.value = None
    assert box.value == "" and box.date is None
