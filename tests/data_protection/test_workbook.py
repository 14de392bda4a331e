"""The "Subject access and erasure" workbook run by papermill on demo data, as each role."""

from __future__ import annotations

import pytest
from papermill.exceptions import PapermillExecutionError

from tests.helpers.notebook_text import notebook_text


@pytest.fixture
def kernel_account() -> str:
    """The demo data-protection lead (the only role that opens this workbook)."""
    return "demo-dpo"


def test_the_data_protection_lead_sees_what_is_held_and_the_forms(demo_data, run_workbook,
                                                                   kernel_env):
    text = notebook_text(run_workbook("data_protection", pupil="P-1003"))
    assert "Held about pupil P-1003" in text
    assert "Make the subject access bundle" in text and "Erase this pupil" in text
    assert "Schedule: Scottish defaults" in text and "Traceback" not in text
    for button in ("Check the correction", "Check the leaving date", "Record in the sharing log",
                   "Check what would be erased", "Make an encrypted backup now",
                   "Check this backup", "Make the DPIA starter (Word)"):
        assert button in text, button


@pytest.mark.parametrize("kernel_account", ["demo-admin"])
def test_the_admin_opens_it_and_is_told_what_is_the_dp_leads(demo_data, run_workbook,
                                                             kernel_env):
    """The admin runs the server and its backups; exports and retention stay the dp lead's."""
    text = notebook_text(run_workbook("data_protection", pupil="P-1003"))
    assert "as admin you may not export everything held about a pupil" in text
    assert "as admin you may not apply the retention schedule" in text
    assert "Make an encrypted backup now" in text and "Traceback" not in text


@pytest.mark.parametrize("kernel_account", ["demo-teacher", "demo-lead"])
def test_anyone_else_is_refused_at_the_start(demo_data, run_workbook, kernel_env):
    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("data_protection")
    assert "you may not open this workbook" in str(caught.value)
