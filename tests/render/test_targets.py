"""What to render: formats, file-safe target names, targets of each kind."""

from __future__ import annotations

import pytest

from partnerkit import catalog
from partnerkit.errors import RenderInputError
from partnerkit.render import targets
from partnerkit.render.targets import Target, Wanted


@pytest.mark.parametrize("values,expected", [
    (None, ["html"]), ("pdf", ["pdf"]), (["html,docx", "pdf", "HTML"], ["html", "docx", "pdf"]),
    (" docx , .pdf ", ["docx", "pdf"]),
])
def test_formats_are_parsed(values, expected):
    assert targets.parse_formats(values) == expected


def test_no_format_at_all_is_refused():
    with pytest.raises(RenderInputError, match="names no format"):
        targets.parse_formats([" , "])


def test_target_names_are_safe_file_names():
    assert targets.slug("P-1001") == "P-1001"
    odd = targets.slug("Ms O'Neil / ../etc")
    assert "/" not in odd and ".." not in odd and odd.startswith("Ms-O-Neil-etc-")
    assert targets.slug("Ms O'Neil") != targets.slug("Ms O Neil")


@pytest.mark.parametrize("username", ["morag.grant", "liam.oneill", "a.b.c", "demo-admin"])
def test_a_username_is_its_own_file_name(username):
    assert targets.slug(username) == username


@pytest.mark.parametrize("odd", ["..", ".hidden", "a..b", "x.", "./x", "a/../b"])
def test_dots_that_could_climb_or_hide_are_never_kept(odd):
    made = targets.slug(odd)
    assert ".." not in made and not made.startswith(".") and not made.endswith(".")
    assert "/" not in made and made != odd


def test_each_kind_of_target_carries_its_parameter():
    assert targets.make_target(catalog.get("six_steps"), 3) == Target("step-3", 3, {"step": 3})
    assert targets.make_target(catalog.get("principles"), None) == Target("workspace")
    author = targets.make_target(catalog.get("reflective_log"), "Ms O'Neil")
    assert author.parameters == {"author": "Ms O'Neil"} and "'" not in author.name


def test_all_steps_are_the_six_steps(store):
    chosen = targets.select_targets(catalog.get("six_steps"), store, "school",
                                    Wanted(all_steps=True))
    assert [t.name for t in chosen] == [f"step-{n}" for n in range(1, 7)]


def test_a_workspace_workbook_has_one_target_and_refuses_others(store):
    row = catalog.get("attendance")
    assert targets.select_targets(row, store, "school", Wanted()) == [Target("workspace")]
    with pytest.raises(RenderInputError, match="--step N or|no target option"):
        targets.select_targets(row, store, "school", Wanted(steps=["1"]))


def test_an_author_workbook_needs_an_author(store):
    row = catalog.get("reflective_log")
    with pytest.raises(RenderInputError, match="add --author NAME"):
        targets.select_targets(row, store, "school", Wanted(author="  "))
    [chosen] = targets.select_targets(row, store, "school", Wanted(author=" Ms A "))
    assert chosen == Target(targets.slug("Ms A"), "Ms A", {"author": "Ms A"})


def test_a_notebook_named_in_no_catalog_row_has_no_report(tmp_path):
    notebook = tmp_path / "homemade.ipynb"
    notebook.write_text("{}")
    with pytest.raises(RenderInputError, match="homemade.*has no report to render"):
        targets.find_workbook(notebook)
