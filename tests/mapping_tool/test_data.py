"""Tests for partnerkit.mapping_tool.data: pupils, their map and gaps read from the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerkit.errors import NotFoundError, PupilReferenceError, RecordValidationError
from partnerkit.mapping_tool import data
from partnerkit.mapping_tool.rules import GAP_TYPES, find_gaps
from partnerkit.records.base import save_record
from partnerkit.records.mapping import Answer, Connection, DirectoryEntry, PupilProfile
from partnerkit.store import Store
from tests.mapping_tool.test_rules import DIRECTORY, FULL, PROFILE

# ------------------------------------------------------------------ pupils


def test_a_known_pupil_is_returned(pupil_store: Store):
    assert data.require_pupil(pupil_store, "school", "P-1").needs == ["poverty"]


def test_an_unknown_pupil_lists_the_pupils_and_how_to_add_one(pupil_store: Store):
    save_record(pupil_store, "school", PupilProfile(pupil="P-0"), "Ann")
    with pytest.raises(NotFoundError) as caught:
        data.require_pupil(pupil_store, "school", "P-77")
    text = str(caught.value)
    assert "there is no pupil 'P-77' in workspace 'school'" in text
    assert "the pupils in this workspace are P-0, P-1" in text
    assert "pupil characteristics form" in text and "partnerkit demo" in text
    assert caught.value.value == "P-77"


def test_a_long_list_of_pupils_is_cut_short(store: Store):
    for n in range(data.LISTED_PUPILS + 3):
        save_record(store, "school", PupilProfile(pupil=f"P-{n:03d}"), "Ann")
    with pytest.raises(NotFoundError, match="P-019 and 3 more"):
        data.require_pupil(store, "school", "P-999")


def test_an_empty_workspace_says_so(store: Store):
    with pytest.raises(NotFoundError, match="this workspace has no pupils yet"):
        data.require_pupil(store, "school", "P-1")


@pytest.mark.parametrize("bad", ["Jane Smith", "", None, "x", "P/1"])
def test_a_name_or_junk_is_not_a_pupil_reference(store: Store, bad):
    with pytest.raises(PupilReferenceError, match="not a pupil reference") as caught:
        data.require_pupil(store, "school", bad)
    assert isinstance(caught.value, RecordValidationError)
    assert caught.value.value == ("" if bad is None else bad)
    assert "P-0412" in caught.value.fix


@pytest.mark.parametrize("read", [data.pupil_connections, data.pupil_answers,
                                  data.connections_frame, data.pupil_gaps])
def test_every_read_refuses_a_name_as_a_reference(store: Store, read):
    with pytest.raises(PupilReferenceError):
        read(store, "school", "Jane Smith")


# ------------------------------------------------------------------ the map


def test_the_connections_table_has_its_fixed_columns(pupil_store: Store, clock):
    empty = data.connections_frame(pupil_store, "school", "P-1")
    assert list(empty.columns) == list(data.CONNECTION_COLUMNS) and empty.empty
    for name in ("Mum", "Mr Khan"):
        save_record(pupil_store, "school", Connection(pupil="P-1", name=name,
                                                      layer="families"), "Ann")
        clock.advance(seconds=1)
    frame = data.connections_frame(pupil_store, "school", "P-1")
    assert list(frame.columns) == list(data.CONNECTION_COLUMNS)
    assert list(frame["name"]) == ["Mum", "Mr Khan"]
    assert "pupil" not in frame.columns


def test_answers_are_read_for_every_question(pupil_store: Store):
    save_record(pupil_store, "school", Answer(question="mapping_tool.question.2",
                                              subject="P-1", text="More help"), "Ann")
    answers = data.pupil_answers(pupil_store, "school", "P-1")
    assert len(answers) == 6
    assert answers["mapping_tool.question.2"] == "More help"
    assert answers["mapping_tool.question.1"] == ""


# ------------------------------------------------------------------ gaps


def test_the_gap_table_has_its_fixed_columns_even_when_empty():
    empty = data.gaps_frame([])
    assert list(empty.columns) == list(data.GAP_COLUMNS) and empty.empty
    frame = data.gaps_frame(find_gaps(PROFILE, FULL[1:], DIRECTORY))
    assert list(frame.columns) == ["gap_type", "subject", "detail", "suggestions"]
    assert frame.loc[0, "suggestions"] == "Befrienders"
    assert set(frame["gap_type"]) <= set(GAP_TYPES)


def test_a_stored_pupils_gaps_use_the_workspace_directory(pupil_store: Store):
    save_record(pupil_store, "school", DirectoryEntry(organisation="Eastfield Pantry",
                                                      helps_with=["poverty"]), "Ann")
    found = data.pupil_gaps(pupil_store, "school", "P-1")
    (need,) = [g for g in found if g.gap_type == "unmet_need"]
    assert [e.organisation for e in need.suggestions] == ["Eastfield Pantry"]


def test_the_gaps_of_an_unknown_pupil_are_a_friendly_error(demo_data: Path):
    store = Store(data=demo_data)
    try:
        with pytest.raises(NotFoundError, match="P-1001, P-1002"):
            data.pupil_gaps(store, "demo", "P-9999")
    finally:
        store.close()
