"""The one table of workbooks, checked against the workbooks themselves."""

from __future__ import annotations

import dataclasses
import importlib

import papermill
import pytest

from partnerkit import catalog
from partnerkit.errors import NotFoundError
from partnerkit.paths import workbooks_dir

ROWS = {row.name: row for row in catalog.WORKBOOKS}


def test_every_shipped_workbook_has_one_row_and_every_row_ships():
    shipped = sorted(p.stem for p in workbooks_dir().glob("*.ipynb"))
    assert sorted(ROWS) == shipped
    assert len(ROWS) == len(catalog.WORKBOOKS)
    assert [w.name for w in catalog.available()] == [
        w.name for w in sorted(catalog.WORKBOOKS, key=lambda w: w.order)]


@pytest.mark.parametrize("name", sorted(ROWS))
def test_the_target_parameter_is_in_the_parameters_cell_with_a_default(name):
    row = ROWS[name]
    declared = papermill.inspect_notebook(str(workbooks_dir() / row.filename))
    assert row.parameter in declared, f"{name}: no parameter {row.parameter!r}"
    assert declared[row.parameter]["default"] not in (None, ""), declared[row.parameter]
    assert {"data_dir", "workspace", "author"} <= set(declared)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_every_report_builder_resolves_to_a_function(name):
    module_name, _, function = ROWS[name].builder.partition(":")
    builder = getattr(importlib.import_module(module_name), function)
    assert callable(builder) and builder.__module__.startswith(module_name)


def test_a_row_with_an_unknown_target_kind_is_refused():
    with pytest.raises(ValueError, match="class"):
        dataclasses.replace(ROWS["principles"], target="class")


def test_an_unknown_workbook_names_those_there_are():
    with pytest.raises(NotFoundError, match="is not a workbook; use one of: principles, "
                                            "mapping_tool"):
        catalog.get("nope")
    assert catalog.get("six_steps.ipynb") is ROWS["six_steps"]
    assert catalog.find("nope") is None


def test_the_catalog_imports_no_wing_until_a_builder_is_asked_for():
    import subprocess
    import sys

    code = ("import sys, partnerkit.catalog\n"
            "print(sorted(m for m in sys.modules if m.startswith('partnerkit.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['partnerkit.catalog', 'partnerkit.errors', 'partnerkit.paths']"
