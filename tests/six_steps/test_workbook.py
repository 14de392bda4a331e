from __future__ import annotations

import json
from pathlib import Path

import pytest
from papermill.exceptions import PapermillExecutionError

from partnerkit.six_steps import STEPS, plan_progress
from partnerkit.store import open_store
from tests.helpers.notebook_text import notebook_text as _texts
from tests.six_steps.helpers import ALL_ITEMS

REPO = Path(__file__).resolve().parents[2]


def test_six_steps_workbook_renders_every_step_with_the_real_progress(demo_data, run_workbook,
                                                                     kernel_env):
    store = open_store(demo_data)
    try:
        whole = plan_progress(store, "demo")
        per_step = {s: plan_progress(store, "demo", s) for s in STEPS}
    finally:
        store.close()
    assert 0 < whole.percent < 100 and whole.overdue > 0
    seen = ""
    for step in STEPS:
        text = _texts(run_workbook("six_steps", step=step))
        assert f"Whole plan:</strong> {whole.describe()}" in text
        assert f"Step {step}:</strong> {per_step[step].describe()}" in text
        seen += text
    missing = [item for item in ALL_ITEMS if item not in seen]
    assert missing == []


def test_six_steps_workbook_runs_with_its_defaults(demo_data, run_workbook, kernel_env):
    text = _texts(run_workbook("six_steps"))
    assert "six_steps.1.6" in text and "six_steps.2.1" not in text


@pytest.mark.parametrize("bad", ["abc", 9])
def test_six_steps_workbook_says_what_to_do_with_a_bad_step(demo_data, run_workbook,
                                                            kernel_env, bad):
    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("six_steps", step=bad)
    assert f"step {bad!r}: is not one of the six steps" in str(caught.value)
    assert "give a step number from 1 to 6" in str(caught.value)
    assert caught.value.ename == "StepError"


def test_workbook_is_committed_without_outputs_and_imports_its_wing():
    notebook = json.loads((REPO / "workbooks" / "six_steps.ipynb").read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert code[1]["metadata"]["tags"] == ["parameters"]
    assert "".join(code[0]["source"]) == "from partnerkit import session, six_steps"
