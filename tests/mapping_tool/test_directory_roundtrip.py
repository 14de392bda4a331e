"""The partner directory survives its own round trip: export → import gives the same directory.

Names, offers and notes are drawn from every risky class: formula-like starts (``=``, ``+``,
``-``, ``@``, their full-width forms, a tab, a carriage return, behind apostrophes too),
quotes, commas, semicolons, line breaks, tabs, right-to-left and CJK text, emoji, words a
CSV reader might take for a missing value, and values of a few thousand characters. The
directory is exported as CSV (the file written, and the text the editor offers for
download) and as XLSX, imported into an empty workspace, and compared field by field.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from partnerkit.mapping_tool import directory
from partnerkit.records.base import save_record
from partnerkit.records.mapping import LAYERS, NEEDS, DirectoryEntry
from partnerkit.reports import neutralise_formula
from partnerkit.store import Store

RISKY = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "'", "''", "'=",
         "\t", "\r", "\n", "\r\n", '"', '""', ",", ";", "|", " ", "\u00a0", "\u2028",
         "مرحبا بكم", "שלום", "اردو", "中文", "日本語テキスト", "한국어", "😀", "👨‍👩‍👧",
         "\u200f", "\u202e", "\ufeff", "NA", "N/A", "null", "NaN", "TRUE", "0141 000 0001",
         "1.0", "007", "2024-01-01", "=SUM(A1:A2)", "@Home Family Support", "-1", "+44",
         "Łódź", "Ünïcödé", "\\", "<b>", "{{ x }}"]
PLAIN = st.characters(blacklist_categories=("Cs", "Cc", "Cn"))
PIECE = st.one_of(st.sampled_from(RISKY), st.text(PLAIN, max_size=8))
START = st.sampled_from(["", "=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "'",
                         "'=", "''+", "\t=", "\r@", '"', ","])


def risky_text(max_size: int) -> st.SearchStrategy[str]:
    """Text made of risky pieces after a risky start, cut to ``max_size`` characters."""
    built = st.builds(lambda start, parts: (start + "".join(parts))[:max_size],
                      START, st.lists(PIECE, max_size=8))
    if max_size < 1000:
        return built
    long = st.builds(lambda start, part, n: (start + part * n)[:max_size],
                     START, PIECE.filter(bool), st.integers(500, 4000))
    return st.one_of(built, built, long)


ENTRY = st.fixed_dictionaries({
    "organisation": risky_text(200), "type": risky_text(100),
    "offers": risky_text(6000), "cannot_offer": risky_text(6000),
    "helps_with": st.lists(st.sampled_from(NEEDS), unique=True),
    "area": risky_text(200), "contact": risky_text(300), "key_contact": risky_text(200),
    "layer": st.one_of(st.none(), st.sampled_from(LAYERS)),
    "takes_referrals": st.booleans(),
})


def _entries(raw: list[dict]) -> list[DirectoryEntry]:
    """Valid entries (as the form would store them), one per organisation key."""
    out: dict[str, DirectoryEntry] = {}
    for values in raw:
        try:
            entry = DirectoryEntry.model_validate(values)
        except ValidationError:  # an organisation of spaces only: the form refuses it too
            continue
        if entry.record_key() not in out:
            out[entry.record_key()] = entry
    return list(out.values())


DIRECTORIES = st.lists(ENTRY, min_size=1, max_size=5).map(_entries).filter(bool)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])
_workspaces = itertools.count()


def _seed(store: Store, entries: list[DirectoryEntry]) -> str:
    workspace = f"from{next(_workspaces)}"
    store.ensure_workspace(workspace)
    for entry in entries:
        save_record(store, workspace, entry, "Ann")
    return workspace


def _dumps(store: Store, workspace: str) -> list[dict]:
    return [e.model_dump() for e in directory.directory_entries(store, workspace)]


def _import_into_empty(store: Store, source, name: str) -> str:
    workspace = f"into{next(_workspaces)}"
    store.ensure_workspace(workspace)
    result = directory.import_directory(store, workspace, source, "Bea", name=name)
    assert not result.updated and not result.unchanged and not result.removed
    return workspace


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@SETTINGS
@given(entries=DIRECTORIES)
def test_export_then_import_gives_the_same_directory(store: Store, tmp_path: Path, kind: str,
                                                     entries: list[DirectoryEntry]):
    """CSV: the file written and the editor's download; XLSX: the workbook written."""
    origin = _seed(store, entries)
    if kind == "csv":
        sources = [directory.export_directory_csv(store, origin, tmp_path / "directory.csv"),
                   directory.export_directory_csv(store, origin).encode("utf-8-sig")]
    else:
        sources = [directory.export_directory_xlsx(store, origin, tmp_path / "directory.xlsx")]
    for source in sources:
        copy = _import_into_empty(store, source, f"directory.{kind}")
        assert _dumps(store, copy) == _dumps(store, origin)


@pytest.mark.parametrize("name", ["@Home Family Support", "+Plus Club", "-Minus Group",
                                  "=Equals Trust", "\uff20Home", "'=Quoted", "''@Twice"])
def test_a_formula_like_name_comes_back_as_typed_and_replace_keeps_it(store: Store, name: str):
    """The reported fault: a guarded name made a bogus entry or a 'column layer' error."""
    entries = [DirectoryEntry(organisation=name, offers="+ cooking, \"drop-in\"; '-' days",
                              helps_with=["poverty"], layer="community_context"),
               DirectoryEntry(organisation="Other Org", offers="-")]
    origin = _seed(store, entries)
    text = directory.export_directory_csv(store, origin)
    guarded = neutralise_formula(name)  # the spreadsheet guard is written
    assert guarded == "'" + name and any(line.startswith(guarded + ",")
                                         for line in text.splitlines())
    result = directory.import_directory(store, origin, text.encode(), "Bea", name="back.csv",
                                        replace=True)
    assert result.unchanged == [e.organisation for e in
                                directory.directory_entries(store, origin)]
    assert not result.added and not result.removed and not result.updated
    assert _dumps(store, origin) == [e.model_dump() for e in
                                     sorted(entries, key=lambda e: e.organisation.lower())]


def test_the_xlsx_export_writes_formula_like_text_as_text(store: Store, tmp_path: Path):
    from openpyxl import load_workbook

    origin = _seed(store, [DirectoryEntry(organisation="=HYPERLINK(\"x\")", offers="@a")])
    path = directory.export_directory_xlsx(store, origin, tmp_path / "d.xlsx")
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]][:3] == ["organisation", "type", "offers"]
    assert sheet["A2"].value == "=HYPERLINK(\"x\")" and sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix and sheet["C2"].value == "@a"
    assert path.stat().st_mode & 0o777 == 0o600
