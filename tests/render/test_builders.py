"""A catalog row's report builder: found, named for a kernel, called with what it declares."""

from __future__ import annotations

import dataclasses

import pytest

from partnerkit import catalog
from partnerkit.errors import ReportUnavailableError
from partnerkit.render import builders
from partnerkit.render.builders import Report
from tests.helpers import batch_pages


def test_every_row_resolves_to_a_function_a_kernel_can_import():
    for row in catalog.WORKBOOKS:
        report = builders.report_of(row)
        assert builders.load(report) is builders.resolve(row), row.name


def test_a_row_whose_builder_cannot_be_imported_says_which():
    def missing():
        from partnerkit.reports import nope  # noqa: F401

    row = dataclasses.replace(catalog.get("mapping_tool"), builder=missing)
    with pytest.raises(ReportUnavailableError, match="pupil partnership pack cannot be "
                                                     "imported.*'nope'"):
        builders.resolve(row)


def test_a_missing_module_or_function_says_which():
    with pytest.raises(ReportUnavailableError, match="its module partnerkit.nope does not "
                                                     "exist"):
        builders.load(Report("x", "pack", "partnerkit.nope:page", "pupil", "pupil"))
    with pytest.raises(ReportUnavailableError, match=r"partnerkit.reports has no function "
                                                     r"nope\(\)"):
        builders.load(Report("x", "pack", "partnerkit.reports:nope", "pupil", "pupil"))


def test_a_reference_names_the_function_itself():
    assert builders.reference(batch_pages.pupil_page) == "tests.helpers.batch_pages:pupil_page"


def test_the_function_gets_the_keywords_it_declares(monkeypatch):
    import partnerkit.reports as module

    calls = []

    def page(store, workspace, practitioner, names=False):
        calls.append((store, workspace, practitioner, names))
        return "<p>ok</p>"

    monkeypatch.setattr(module, "test_page", page, raising=False)
    report = Report("log", "log", "partnerkit.reports:test_page", "author", "author",
                    aliases=("practitioner",))
    assert builders.build(report, "STORE", "demo", "Ms A", names=True,
                          parameters={"x": 1}) == "<p>ok</p>"
    assert calls == [("STORE", "demo", "Ms A", True)]


def test_a_function_needing_more_than_a_render_has_is_refused(monkeypatch):
    import partnerkit.reports as module

    monkeypatch.setattr(module, "test_page", lambda store, colour: "", raising=False)
    report = Report("x", "page", "partnerkit.reports:test_page", "workspace", "workspace")
    with pytest.raises(ReportUnavailableError, match="argument 'colour'"):
        builders.build(report, "STORE", "demo", None)
