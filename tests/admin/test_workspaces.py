"""Workspaces from the command line's package calls."""

from __future__ import annotations

import pytest

from partnerkit.admin import workspaces
from partnerkit.errors import AccountError
from partnerkit.store import Store


@pytest.mark.parametrize("bad", ["../x", "a/b", "Oak Field", ".."])
def test_a_workspace_name_with_path_characters_is_refused(store: Store, bad):
    with pytest.raises(AccountError, match="is not a workspace name"):
        workspaces.add_workspace(store, bad, "A title", by="t")
    assert list(store.workspaces()) == ["school"]


def test_a_workspace_is_added_once_with_a_title(store: Store):
    said = workspaces.add_workspace(store, "oakfield", " Oakfield  Primary ", by="cli:me")
    assert said.startswith("Added workspace oakfield (Oakfield Primary).")
    assert store.workspaces()["oakfield"] == "Oakfield Primary"
    with pytest.raises(AccountError, match="exists already"):
        workspaces.add_workspace(store, "oakfield", "Again", by="t")
    with pytest.raises(AccountError, match="--title"):
        workspaces.add_workspace(store, "elmwood", "  ", by="t")


def test_members_and_the_list(school: Store):
    lines = workspaces.members_table(school, "cohort-1").splitlines()
    assert lines[2].split() == ["tam", "Tam", "Trainer", "trainer"]
    listed = workspaces.workspaces_table(school).splitlines()
    assert [line.split()[0] for line in listed[2:]] == ["cohort-1", "school"]
    with pytest.raises(AccountError, match="does not exist"):
        workspaces.members_table(school, "nowhere")


def test_second_factor_on_and_off(school: Store):
    assert "now asks its school leads" in workspaces.set_second_factor(school, "school", "on",
                                                                      by="cli:me")
    assert school.second_factor_required("school")
    assert school.audit_entries(action="second-factor-required")[0].workspace == "school"
    workspaces.set_second_factor(school, "school", "off", by="cli:me")
    assert not school.second_factor_required("school")
    with pytest.raises(AccountError, match="is not on or off"):
        workspaces.set_second_factor(school, "school", "maybe", by="t")
