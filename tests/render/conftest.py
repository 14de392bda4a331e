"""Fixtures of the render tests: scenario notebooks added to the catalog for one test."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from partnerkit import access, catalog
from partnerkit.catalog import Workbook

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SCENARIOS = ("fails_for_one_pupil", "clean_namespace", "kernel_dies_for_one_pupil")
DEMO_PUPILS = ["P-1001", "P-1002", "P-1003", "P-1004", "P-1005"]


def scenario(name: str, builder: str) -> Workbook:
    """A catalog row for a test notebook whose report is one of tests/helpers/batch_pages."""
    return Workbook(name, f"Test {name}", "A scenario of the render tests.", target="pupil",
                    order=99, parameter="pupil", report="test page",
                    builder=f"tests.helpers.batch_pages:{builder}")


@pytest.fixture
def fixtures(monkeypatch):
    """The scenario notebooks, each with a catalog row for this test only.

    Each may be opened by the roles that may open the mapping tool (a pupil workbook).
    """
    rows = [scenario(name, "pupil_page") for name in SCENARIOS]
    rows.append(scenario("report_fails_for_one_pupil", "page_fails_for_p1004"))
    monkeypatch.setattr(catalog, "WORKBOOKS", (*catalog.WORKBOOKS, *rows))
    roles = access.WORKBOOK_ROLES["mapping_tool"]
    monkeypatch.setattr(access, "WORKBOOK_ROLES",
                        {**access.WORKBOOK_ROLES, **{row.name: roles for row in rows}})
    return {name: NOTEBOOKS / f"{name}.ipynb" for name in SCENARIOS}


def mode(path: Path) -> int:
    """A file's permission bits."""
    return stat.S_IMODE(path.stat().st_mode)


def by_name(summary):
    """A render's results by target name."""
    return {r.target.name: r for r in summary.results}
