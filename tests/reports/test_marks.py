"""The page marks: whom a report is about, the marking, the date; kept and read back."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerkit import access, reports
from partnerkit.access import Account, GuardedStore, Membership
from partnerkit.errors import AccessDeniedError, PartnerkitError
from partnerkit.reports.html import render_html
from partnerkit.reports.marks import (
    DEFAULT_MARKING,
    MARKING_MAX,
    PageMarks,
    check_marking,
    page_marks,
    read_marks,
)
from partnerkit.reports.pdf import css_string, marks_css, shorten_mark
from partnerkit.store import Store
from tests.helpers.backends import BACKENDS, backend_url

LEE = Account("lee", "Lee", (Membership("school", access.SCHOOL_LEAD),))


@pytest.fixture(params=BACKENDS)
def titled(request, tmp_path):
    """A store (SQLite, and PostgreSQL) with workspace 'school' titled "Oakfield Primary"."""
    with backend_url(request.param, tmp_path) as url:
        store = Store(url)
        store.ensure_workspace("school", "Oakfield Primary", "test")
        store.ensure_workspace("other", "Elmwood High", "test")
        yield store
        store.close()


def test_a_workspace_uses_the_default_marking_until_it_has_its_own(titled):
    assert titled.sensitivity("school") is None
    assert page_marks(titled, "school").marking == DEFAULT_MARKING == "OFFICIAL-SENSITIVE"
    titled.set_sensitivity("school", "OFFICIAL")
    assert page_marks(titled, "school").marking == "OFFICIAL"
    assert page_marks(titled, "other").marking == DEFAULT_MARKING  # one workspace only
    titled.set_sensitivity("school", None)
    assert page_marks(titled, "school").marking == DEFAULT_MARKING


def test_a_report_names_its_pupil_or_else_the_school(titled):
    assert page_marks(titled, "school", reference="P-1001") == PageMarks(
        reference="P-1001", marking=DEFAULT_MARKING, produced="", author="Oakfield Primary")
    assert page_marks(titled, "school").reference == "Oakfield Primary"
    assert page_marks(None, "school").reference == "school"  # no store: the workspace's name


def test_a_member_reads_the_marking_through_the_permission_check(titled):
    titled.set_sensitivity("other", "SECRET THINGS")
    guarded = GuardedStore(titled, LEE)
    assert page_marks(guarded, "school").author == "Oakfield Primary"
    with pytest.raises(AccessDeniedError):
        guarded.sensitivity("other")


@pytest.mark.parametrize(("typed", "kept"), [("OFFICIAL", "OFFICIAL"),
                                             ("  OFFICIAL  SENSITIVE\n", "OFFICIAL SENSITIVE"),
                                             ("x" * MARKING_MAX, "x" * MARKING_MAX)])
def test_a_marking_is_one_tidy_line(typed, kept):
    assert check_marking(typed) == kept


@pytest.mark.parametrize(("typed", "says"), [("", "is empty"), ("   ", "is empty"),
                                             (None, "is empty"),
                                             ("x" * (MARKING_MAX + 1), "61 characters")])
def test_a_bad_marking_is_refused_with_the_fix(typed, says):
    with pytest.raises(PartnerkitError, match=says) as refused:
        check_marking(typed)
    assert refused.value.where == "sensitivity marking" and DEFAULT_MARKING in refused.value.fix


def test_the_report_head_holds_the_marks_the_writers_read_back(titled):
    titled.set_sensitivity("school", 'A "quoted" <marking> & more')
    page = render_html("attendance_summary.html.j2", workspace="school", frameworks=[],
                       title="T", store=titled, threshold=0.9, tables={})
    marks = read_marks(page)
    assert marks == PageMarks(reference="Oakfield Primary",
                              marking='A "quoted" <marking> & more',
                              produced=reports.format_date(dt.date.today()),
                              author="Oakfield Primary")
    assert "Workspace:" not in page and "<marking>" not in page  # escaped, never markup
    assert read_marks("<p>a fragment</p>") is None and marks_css(None) == ""


def test_marks_are_safe_css_strings_and_short_enough_for_a_margin():
    assert css_string('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c d"'
    assert shorten_mark("x" * 200) == "x" * 69 + "…"
    css = marks_css(PageMarks('P-1"}', "M", "1 May 2026", "S"))
    assert '"P-1\\"}"' in css and '"Produced 1 May 2026"' in css
