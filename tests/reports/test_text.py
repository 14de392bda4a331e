import datetime as dt
import os
import time

import pytest

from partnerkit.reports import text


@pytest.fixture
def utc_clock():
    """The machine's clock set to UTC for one test, and back after it."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_a_naive_moment_is_taken_to_be_utc():
    naive = dt.datetime(2026, 9, 2, 9, 15)
    assert text.aware(naive) == naive.replace(tzinfo=dt.UTC)
    zoned = dt.datetime(2026, 9, 2, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert text.aware(zoned) is zoned


def test_moments_read_in_local_time_with_their_zone(utc_clock):
    moment = dt.datetime(2026, 9, 2, 9, 15, tzinfo=dt.UTC)
    assert text.format_moment(moment) == "09:15 on Wednesday 2 September 2026 (UTC)"
    assert text.format_stamp(moment) == "2 Sep 2026 09:15"
    assert text.format_moment(None) == text.format_stamp(None) == ""


def test_dates_long_and_short():
    day = dt.date(2026, 9, 2)
    assert text.format_date(day) == "2 September 2026"
    assert text.format_date(day, short=True) == "2 Sep 2026"
    assert text.format_date(None) == ""
