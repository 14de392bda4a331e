"""The cohort workbook (trainer): runs on demo data, shows the board; others may not open it."""

from __future__ import annotations

import pytest
from papermill.exceptions import PapermillExecutionError

from partnerkit import catalog
from partnerkit.access import WORKBOOK_ROLES
from tests.helpers.notebook_text import notebook_text


def test_the_cohort_workbook_is_in_the_catalog_for_trainers_only():
    row = catalog.find("cohort")
    assert row is not None and row.exists() and row.target == "workspace"
    assert WORKBOOK_ROLES["cohort"] == {"trainer", "admin"}


@pytest.mark.parametrize("kernel_account", ["demo-trainer"])
def test_the_cohort_workbook_runs_on_demo_data(demo_data, run_workbook, kernel_env):
    text = notebook_text(run_workbook("cohort"))
    assert "Morag Grant" in text  # a participant, by name
    assert "Quiz passed" in text and "Status" in text
    assert "What participants see after a quiz attempt" in text
    assert "item statistics show once there are 20" in text or "Item statistics (" in text
    assert "Cohort summary" in text


@pytest.mark.parametrize("kernel_account", ["demo-teacher"])
def test_a_practitioner_cannot_open_the_cohort_workbook(demo_data, run_workbook, kernel_env):
    with pytest.raises(PapermillExecutionError, match="may not open this workbook|not a member"):
        run_workbook("cohort")
