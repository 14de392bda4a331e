"""``partnerkit render --as``: a render reads as one account, its kernels act as it, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partnerkit import catalog
from partnerkit.access import GuardedStore, load_account
from partnerkit.cli import main
from partnerkit.records import PupilProfile, save_record
from partnerkit.render import manifest as manifests
from partnerkit.render import who
from partnerkit.render.kernels import kernel_env
from partnerkit.render.targets import make_target
from partnerkit.store import Store


def render(capsys, data: Path, out: Path, *args: str) -> tuple[int, str, str]:
    status = main(["render", *args, "--data", str(data), "--out", str(out), "--jobs", "1"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_line(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if not line.startswith("Rendering")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def other_school(demo_data: Path) -> Path:
    """A second workspace with one pupil; no demo account is a member of it."""
    store = Store(data=demo_data)
    store.ensure_workspace("elmwood", "Elmwood Academy")
    save_record(store, "elmwood", PupilProfile(pupil="P-2001", stage="S1"), "someone")
    store.close()
    return demo_data


def test_a_practitioner_cannot_render_the_pupils_of_a_workspace_they_are_not_in(
        other_school, tmp_path, capsys):
    out = tmp_path / "out"
    status, printed, err = render(capsys, other_school, out, "mapping_tool", "--all-pupils",
                                  "--workspace", "elmwood", "--as", "demo-teacher")
    assert status == 2 and printed == ""
    assert one_line(err) == ("partnerkit: error: render: you (demo-teacher) are not a member "
                             "of workspace 'elmwood'; ask its school lead or an admin to add "
                             "you, or render as a member: --as USERNAME")
    assert not (out / "html").exists() and not (out / "notebooks").exists()
    store = Store(data=other_school)
    refused = store.audit_entries(account="demo-teacher", action="render-refused")
    assert refused and refused[0].workspace == "elmwood" and not refused[0].allowed


def test_a_role_that_may_not_open_the_workbook_is_refused_before_any_kernel(demo_data,
                                                                           tmp_path, capsys):
    status, _, err = render(capsys, demo_data, tmp_path / "out", "six_steps", "--all-steps",
                            "--as", "demo-trainer")
    assert status == 2
    assert "workbook 'six_steps': as trainer you may not open this workbook" in one_line(err)
    status, _, err = render(capsys, demo_data, tmp_path / "out", "attendance", "--as",
                            "demo-teacher")
    assert status == 2 and "as practitioner you may not open this workbook" in one_line(err)


def test_an_unknown_account_is_one_line(demo_data, tmp_path, capsys):
    status, _, err = render(capsys, demo_data, tmp_path / "out", "mapping_tool", "--pupil",
                            "P-1001", "--as", "ghost")
    assert status == 2
    assert one_line(err) == ("partnerkit: error: who is working (--as) 'ghost': there is no "
                             "such account in this store; give a username that partnerkit "
                             "users list shows")


def test_a_practitioners_log_is_named_by_username(demo_data, tmp_path, capsys):
    status, _, err = render(capsys, demo_data, tmp_path / "out", "reflective_log", "--author",
                            "Morag Grant", "--as", "demo-trainer")
    assert status == 2
    assert "--author 'Morag Grant': is not a username in workspace 'demo'" in one_line(err)
    assert "morag.grant" in err


def test_a_trainer_rendering_a_log_that_was_not_shared_is_refused_and_said_so(demo_data,
                                                                            tmp_path, capsys):
    out = tmp_path / "out"
    status, printed, err = render(capsys, demo_data, out, "reflective_log", "--author",
                                  "iain.fraser", "--as", "demo-trainer")
    assert status == 1 and "Traceback" not in err
    assert printed.splitlines()[0].startswith("reflective_log: 0 written, 0 failed, 1 refused")
    assert ("REFUSED    iain.fraser: a trainer sees progress and quiz results, not the text "
            "of a reflective log unless its writer shares it") in printed
    manifest = json.loads((out / manifests.MANIFEST).read_text())
    entry = manifest["refused"]["reflective_log/iain.fraser"]
    assert entry["account"] == "demo-trainer" and "unless its writer shares it" in \
        entry["reason"]
    assert "reflective_log/iain.fraser" not in manifest["targets"]
    assert not (out / "notebooks").exists()


def test_another_practitioners_log_is_refused_to_an_admin_too(demo_data):
    store = Store(data=demo_data)
    row = catalog.get("reflective_log")
    targets = [make_target(row, name) for name in ("aisha.rahman", "demo-admin")]
    view = GuardedStore(store, load_account(store, "demo-admin"))
    refused = who.refusals(view, "demo", row, targets)
    assert list(refused) == ["aisha.rahman"]
    assert "you may not see aisha.rahman's own module work" in refused["aisha.rahman"]


def test_a_trainer_may_render_a_log_with_entries_shared_with_them(demo_data):
    store = Store(data=demo_data)
    row = catalog.get("collaborative_working")
    trainer = GuardedStore(store, load_account(store, "demo-trainer"))
    targets = [make_target(row, name) for name in ("morag.grant", "hannah.lee")]
    assert list(who.refusals(trainer, "demo", row, targets)) == ["hannah.lee"]
    owner = GuardedStore(store, load_account(store, "hannah.lee"))
    assert who.refusals(owner, "demo", row, [make_target(row, "hannah.lee")]) == {}


def test_the_kernels_act_as_the_render_account(demo_data, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PARTNERKIT_ACCOUNT", "demo-lead")  # --as wins over the environment
    status, printed, _ = render(capsys, demo_data, tmp_path / "out", "mapping_tool", "--pupil",
                                "P-1001", "--as", "demo-teacher")
    assert status == 0, printed
    store = Store(data=demo_data)
    reads = [e for e in store.audit_entries(workspace="demo", action="read")
             if e.key and e.key.startswith("P-1001")]
    assert reads and {e.account for e in reads} == {"demo-teacher"}
    manifest = json.loads((tmp_path / "out" / manifests.MANIFEST).read_text())
    assert "mapping_tool/P-1001" in manifest["targets"]


def test_kernels_get_the_account_in_their_environment(monkeypatch):
    monkeypatch.setenv("PARTNERKIT_ACCOUNT", "someone")
    assert kernel_env(None, account="demo-teacher")["PARTNERKIT_ACCOUNT"] == "demo-teacher"
    assert kernel_env(None)["PARTNERKIT_ACCOUNT"] == "someone"


def test_a_report_read_by_another_account_is_not_up_to_date(tmp_path):
    common = {"workbook_hash": "w", "templates_hash": "t", "parameters": {"pupil": "P-1"},
              "store_state": "s", "names": False}
    assert manifests.fingerprint(**common, account="demo-lead") != \
        manifests.fingerprint(**common, account="demo-teacher")
