"""``partnerkit workspaces sensitivity``: show, set and reset a workspace's report marking."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerkit.cli import main
from partnerkit.reports.marks import DEFAULT_MARKING
from partnerkit.store import Store


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    assert main(["workspaces", "add", "oak", "--title", "Oakfield Primary", "--data",
                 str(folder)]) == 0
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["workspaces", "sensitivity", *args])
    out, err = capsys.readouterr()
    return status, out, err


def marking(data: Path) -> str | None:
    store = Store(data=data)
    try:
        return store.sensitivity("oak")
    finally:
        store.close()


def test_the_default_is_shown_set_and_restored(data, capsys):
    status, out, _ = run(capsys, "oak", "--data", str(data))
    assert status == 0 and "marked OFFICIAL-SENSITIVE (the default)" in out
    status, out, _ = run(capsys, "oak", "OFFICIAL  SENSITIVE  PERSONAL", "--data", str(data))
    assert status == 0 and "now marked OFFICIAL SENSITIVE PERSONAL." in out
    assert marking(data) == "OFFICIAL SENSITIVE PERSONAL"
    assert "marked OFFICIAL SENSITIVE PERSONAL (the default is" in run(
        capsys, "oak", "--data", str(data))[1]
    status, out, _ = run(capsys, "oak", "--default", "--data", str(data))
    assert status == 0 and "OFFICIAL-SENSITIVE (the default)" in out and marking(data) is None
    store = Store(data=data)
    details = [e.detail for e in store.audit_entries(action="sensitivity-marking")]
    store.close()
    assert details == ["default (OFFICIAL-SENSITIVE)", "OFFICIAL SENSITIVE PERSONAL"]


@pytest.mark.parametrize(("args", "says"), [
    (["oak", ""], "sensitivity marking: is empty"),
    (["oak", "x" * 61], "is 61 characters long; use at most 60"),
    (["oak", "OFFICIAL", "--default"], "give either a marking or --default"),
    (["elm", "OFFICIAL"], "workspace 'elm': does not exist"),
])
def test_a_bad_request_is_one_line_naming_the_value_and_fix(data, capsys, args, says):
    status, out, err = run(capsys, *args, "--data", str(data))
    lines = err.strip().splitlines()
    assert status != 0 and out == "" and len(lines) == 1 and "Traceback" not in err
    assert says in lines[0]
    assert marking(data) is None


def test_the_help_names_the_default(capsys):
    with pytest.raises(SystemExit):
        main(["workspaces", "sensitivity", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert f"(default {DEFAULT_MARKING})" in shown
    assert f"go back to the default marking, {DEFAULT_MARKING}" in shown
