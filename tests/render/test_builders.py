"""A catalog row's report builder: found, named for a kernel, called with what it declares."""

from __future__ import annotations

import dataclasses

import pytest

from partnerkit import catalog
from partnerkit.errors import ReportUnavailableError
from partnerkit.render import builders
from partnerkit.render.builders import Report


def test_every_row_resolves_to_a_function_a_kernel_can_import():
    for row in catalog.WORKBOOKS:
        report = builders.report_of(row)
        assert report.function == row.builder
        assert callable(builders.load(report)), row.name


def test_a_missing_module_or_function_says_which():
    with pytest.raises(ReportUnavailableError, match="its module partnerkit.nope does not "
                                                     "exist yet"):
        builders.load(Report("x", "pack", "partnerkit.nope:page", "pupil", "pupil"))
    with pytest.raises(ReportUnavailableError, match=r"partnerkit.reports has no function "
                                                     r"nope\(\) yet"):
        builders.resolve(dataclasses.replace(catalog.get("mapping_tool"),
                                             builder="partnerkit.reports:nope"))


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
