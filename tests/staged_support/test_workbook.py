"""The staged support workbook run by papermill on demo data."""

from __future__ import annotations

import pytest
from papermill.exceptions import PapermillExecutionError

from tests.helpers.notebook_text import notebook_text as _texts


def test_staged_support_workbook_runs_with_its_default_pupil(demo_data, run_workbook,
                                                             kernel_env):
    text = _texts(run_workbook("staged_support"))
    assert "Staged support for P-1001" in text
    assert "Visual timetables" in text and "Young Carers Network" in text
    assert "Third sector e.g. counselling service" in text


@pytest.mark.parametrize("pupil", ["P-1003", "P-1005"])
def test_staged_support_workbook_runs_for_other_demo_pupils(demo_data, run_workbook,
                                                            kernel_env, pupil):
    text = _texts(run_workbook("staged_support", pupil=pupil))
    assert f"Staged support for {pupil}" in text


@pytest.mark.parametrize(("bad", "says"), [("P-9999", "use one of P-1001"),
                                            ("Robert Smith", "not a name")])
def test_staged_support_workbook_says_what_to_do_with_a_bad_pupil(demo_data, run_workbook,
                                                                  kernel_env, bad, says):
    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("staged_support", pupil=bad)
    assert says in str(caught.value)
