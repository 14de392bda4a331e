"""The mapping tool's records: pupil profile, connections, directory entries, answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerkit.content import load_content
from partnerkit.errors import RecordValidationError
from partnerkit.records import (
    LAYERS,
    NEEDS,
    Connection,
    DirectoryEntry,
    PupilProfile,
    validate_record,
)


@settings(max_examples=100, deadline=None)
@given(fields=st.fixed_dictionaries({
    "pupil": st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{1,39}", fullmatch=True),
    "name": st.text(min_size=1, max_size=200).filter(str.strip),
    "layer": st.sampled_from(LAYERS),
    "helps_with": st.lists(st.sampled_from(NEEDS), unique=True),
    "notes": st.text(),
}))
def test_valid_connections_round_trip_through_json(fields):
    record = validate_record(Connection, fields)
    again = Connection.model_validate(record.model_dump(mode="json"))
    assert again == record


def test_every_need_is_a_barrier_in_the_principles():
    content = load_content()
    barriers = {i.id.removeprefix("principles.barrier.") for i in content.items(kind="barrier")}
    assert set(NEEDS) == barriers


def test_every_layer_is_a_layer_of_the_mapping_tool():
    content = load_content()
    for layer in LAYERS:
        assert content.item(f"mapping_tool.layer.{layer}").kind == "layer"


def test_a_connection_needs_a_name_and_a_layer():
    with pytest.raises(RecordValidationError) as info:
        validate_record(Connection, {"pupil": "P-1", "name": " ", "layer": "moon"})
    assert set(info.value.field_errors) == {"name", "layer"}
    assert "moon" in info.value.field_errors["layer"]


@pytest.mark.parametrize("value,message", [
    ("6", "not one of the choices"), ("abc", "not one of the choices")])
def test_simd_quintile_outside_1_to_5_is_refused(value, message):
    with pytest.raises(RecordValidationError) as info:
        validate_record(PupilProfile, {"pupil": "P-1", "simd_quintile": value})
    assert message in info.value.field_errors["simd_quintile"]


def test_directory_entries_with_the_same_name_share_a_key():
    a = DirectoryEntry(organisation="Eastfield  Youth Project")
    b = DirectoryEntry(organisation="eastfield youth project")
    assert a.record_key() == b.record_key()


