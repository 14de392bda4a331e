"""The collaborative working workbook run by papermill on demo data, and across kernels."""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from partnerkit import collaborative_working as cw
from partnerkit.access import GuardedStore, load_account
from partnerkit.content import load_content
from partnerkit.errors import QuizLockedError
from partnerkit.records.base import load_records
from partnerkit.records.module import QuizAttempt
from partnerkit.store import Store
from tests.helpers.notebook_text import notebook_text as _texts

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kernel_account", ["demo-trainer"])
def test_collaborative_working_workbook_runs_on_demo_data(demo_data, run_workbook, kernel_env):
    notebook = run_workbook("collaborative_working")
    text = _texts(notebook)
    for number in cw.SECTIONS:
        assert load_content().item(cw.SECTIONS[number]).title in text
    kinds = {k for c in notebook.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert "image/png" in kinds  # the wheel
    assert "Cohort summary" in text and "&lt;5" in text
    assert "Morag Grant" in text  # the trainer's cohort, by name


@pytest.mark.parametrize("kernel_account", ["aisha.rahman"])
def test_collaborative_working_workbook_shows_a_practitioners_own_answers(
        demo_data, run_workbook, kernel_env):
    text = _texts(run_workbook("collaborative_working"))
    assert "Phoning with good news first" in text
    assert "You have passed the end-of-module quiz" in text


@pytest.mark.parametrize("kernel_account", ["demo-trainer"])
def test_collaborative_working_workbook_for_another_workspace(demo_data, run_workbook,
                                                             kernel_env):
    from partnerkit import accounts

    store = Store(data=demo_data)
    try:
        accounts.add_workspace(store, "cohort-2", "Second cohort", by="test")
        accounts.add_user(store, "demo-trainer", "Demo Trainer", "trainer", "cohort-2",
                          by="test")
    finally:
        store.close()
    text = _texts(run_workbook("collaborative_working", workspace="cohort-2"))
    assert "Cohort summary: <bdi>cohort-2</bdi>" in text


def test_workbooks_are_committed_without_outputs():
    for name in ("collaborative_working", "reflective_log", "staged_support"):
        notebook = json.loads((REPO / "workbooks" / f"{name}.ipynb").read_text())
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
        assert notebook["cells"][0]["cell_type"] == "markdown"
        assert code[1]["metadata"]["tags"] == ["parameters"]
        assert "data_dir = None" in "".join(code[1]["source"])


# ------------------------------------------------------------------ across kernels


@pytest.mark.parametrize("kernel_account", ["iain.fraser"])
def test_the_lock_holds_across_real_kernel_restarts(demo_data: Path, run_workbook,
                                                    kernel_env, tmp_path: Path):
    who = "iain.fraser"  # a demo participant who has not tried the quiz yet
    made = pm.execute_notebook(
        str(REPO / "tests" / "notebooks" / "quiz_three_failed_attempts.ipynb"),
        str(tmp_path / "fail-three.ipynb"), parameters={"data_dir": str(demo_data)},
        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    assert "you can try again from" in _texts(made)
    for _ in range(2):  # two more kernels, one after the other
        text = _texts(run_workbook("collaborative_working"))
        assert "After 3 failed attempts the quiz is locked" in text
        assert "you can try again from" in text
    store = Store(data=demo_data)
    try:
        assert len(cw.attempts(store, "demo", who)) == 3
        with pytest.raises(QuizLockedError):
            cw.start_attempt(store, "demo", who)
    finally:
        store.close()


def test_demo_cohort_has_a_locked_and_a_passed_practitioner(demo_data: Path):
    store = Store(data=demo_data)
    try:
        assert cw.quiz_status(store, "demo", "farah.said").locked
        assert cw.quiz_status(store, "demo", "aisha.rahman").passed
        made = load_records(store, "demo", QuizAttempt)
        assert {a.practitioner for a in made} >= {"farah.said", "aisha.rahman"}
    finally:
        store.close()


# ------------------------------------------------------------------ signed-in accounts


@pytest.fixture
def cohort_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_workbook):
    """Run the workbook on a small cohort of accounts (not the demo) where Ann is locked."""
    from tests.collaborative_working.attempts import fail
    from tests.collaborative_working.cohort import act_as, cohort_folder

    folder = tmp_path / "cohort"
    store = cohort_folder(folder)
    try:
        for _ in range(3):
            fail(GuardedStore(store, load_account(store, "ann")), "ann")
    finally:
        store.close()

    def run(username: str, **parameters):
        act_as(monkeypatch, folder, username)
        return _texts(run_workbook("collaborative_working", workspace="school", **parameters))

    return run


def test_the_trainer_sees_the_cohort_by_name_with_the_lock_to_lift(cohort_run):
    text = cohort_run("tom")
    assert "Each participant" in text and "Ann Example" in text and "Locked until" in text
    assert "Lift the lock" in text and "Cohort summary" in text


def test_a_participant_sees_their_own_lock_whatever_author_and_not_the_cohort(cohort_run):
    text = cohort_run("ann", author="someone-new")
    assert "After 3 failed attempts the quiz is locked" in text
    assert "This part is for the cohort" in text
    assert "Each participant" not in text and "Bob Sample" not in text
