"""The registry of which report each workbook makes, and how its function is called."""

from __future__ import annotations

import pytest

from partnerkit.paths import workbooks_dir
from partnerkit.render.registry import (
    REGISTRY,
    TARGET_KINDS,
    ReportSpec,
    ReportUnavailableError,
)


def test_every_shipped_workbook_has_a_report():
    shipped = sorted(p.stem for p in workbooks_dir().glob("*.ipynb"))
    missing = [name for name in shipped if name not in REGISTRY]
    assert missing == []


def test_every_registered_spec_is_well_formed():
    for name, spec in REGISTRY.items():
        assert spec.workbook == name
        assert spec.target in TARGET_KINDS
        assert ":" in spec.function


def test_a_missing_module_or_function_says_which():
    with pytest.raises(ReportUnavailableError, match="its module partnerkit.nope does not "
                                                     "exist yet"):
        ReportSpec("x", "pupil", "partnerkit.nope:page", "pack").builder()
    with pytest.raises(ReportUnavailableError, match=r"partnerkit.reports has no function "
                                                     r"nope\(\) yet"):
        ReportSpec("x", "pupil", "partnerkit.reports:nope", "pack").builder()


def test_a_target_kind_must_be_known():
    with pytest.raises(ValueError, match="class"):
        ReportSpec("x", "class", "m:f", "pack")


def test_the_function_gets_the_keywords_it_declares(monkeypatch):
    import partnerkit.reports as module

    calls = []

    def page(store, workspace, practitioner, names=False):
        calls.append((store, workspace, practitioner, names))
        return "<p>ok</p>"

    monkeypatch.setattr(module, "test_page", page, raising=False)
    spec = ReportSpec("log", "author", "partnerkit.reports:test_page", "log",
                      aliases=("practitioner",))
    assert spec.parameter == "author"
    assert spec.build("STORE", "demo", "Ms A", names=True, parameters={"x": 1}) == "<p>ok</p>"
    assert calls == [("STORE", "demo", "Ms A", True)]


def test_a_function_needing_more_than_a_render_has_is_refused(monkeypatch):
    import partnerkit.reports as module

    monkeypatch.setattr(module, "test_page", lambda store, colour: "", raising=False)
    spec = ReportSpec("x", "workspace", "partnerkit.reports:test_page", "page")
    with pytest.raises(ReportUnavailableError, match="argument 'colour'"):
        spec.build("STORE", "demo", None)
