from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from papermill.exceptions import PapermillExecutionError

from partnerkit import principles, six_steps
from partnerkit.store import open_store

REPO = Path(__file__).resolve().parents[2]


def _outputs(notebook) -> list[dict]:
    return [o for c in notebook.cells for o in c.get("outputs", [])]


def test_principles_workbook_runs_on_the_demo(demo_data, run_workbook, kernel_env):
    store = open_store(demo_data)
    try:
        whole = six_steps.plan_progress(store, "demo")
        starter = principles.conversation_starters(principles.compare_ratings(store, "demo"))[0]
    finally:
        store.close()
    notebook = run_workbook("principles")
    outputs = _outputs(notebook)
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2      # two wheels
    text = "\n".join(str(v) for o in outputs for v in o.get("data", {}).values())
    text += json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False)
    assert "Parity of esteem must exist between partners" in text           # comparison
    assert not re.search(r"principles\.[a-z_]+\.\d", re.sub(r'id="[^"]*"', "", text))
    assert starter.split(":")[0] in text                                     # starters
    assert "Which partners should be involved but aren" in text              # reflection
    summary = [o["data"]["text/html"] for o in outputs
               if "text/html" in o.get("data", {}) and "Whole plan" in o["data"]["text/html"]]
    assert summary and f'<td dir="auto">{whole.percent}%</td>' in summary[-1]  # real progress


@pytest.mark.parametrize("kernel_account", ["demo-partner"])
def test_principles_workbook_for_a_partner(demo_data, run_workbook, kernel_env):
    notebook = run_workbook("principles")
    text = json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False)
    assert "We are invited, but decisions are mostly made before we arrive." in text


def test_principles_workbook_says_what_to_do_with_an_empty_rater(demo_data, run_workbook,
                                                                kernel_env):
    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("principles", rater=" ")
    assert 'use rater="school"' in str(caught.value)


def test_workbook_is_committed_without_outputs_and_imports_its_wings():
    notebook = json.loads((REPO / "workbooks" / "principles.ipynb").read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert code[1]["metadata"]["tags"] == ["parameters"]
    assert "".join(code[0]["source"]) == "from partnerkit import principles, session, six_steps"


def test_principles_workbook_for_a_signed_in_partner_offers_only_their_organisation(
        tmp_path, run_workbook, monkeypatch):
    from tests.collaborative_working.cohort import YOUTH, act_as, cohort_folder
    from tests.helpers.notebook_text import notebook_text

    folder = tmp_path / "cohort"
    cohort_folder(folder).close()
    act_as(monkeypatch, folder, "yaz")
    text = notebook_text(run_workbook("principles", workspace="school"))
    assert f"You are rating as {YOUTH}" in text and "Whose rating is this?" in text
    assert "You are rating as the school" not in text
    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("principles", workspace="school", rater="school")
    assert f"you may rate the principles only as {YOUTH}, not as 'school'" in str(caught.value)
