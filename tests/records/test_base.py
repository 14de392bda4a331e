"""The base of every record type: validation of any input, content references, store calls."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from partnerkit.content import load_content
from partnerkit.errors import RecordValidationError
from partnerkit.records import (
    RECORD_TYPES,
    Answer,
    load_record,
    record_history,
    save_record,
    validate_record,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children,
                                                                      max_size=3),
    max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(sorted(RECORD_TYPES)),
       data=st.dictionaries(st.text(max_size=20), json_values, max_size=6))
def test_any_input_gives_a_record_or_a_record_validation_error(kind, data):
    record_type = RECORD_TYPES[kind]
    try:
        record = validate_record(record_type, data)
    except RecordValidationError as exc:
        assert exc.field_errors and all(isinstance(m, str) and m for m in exc.field_errors.values())
    else:
        assert isinstance(record, record_type)


def test_every_content_reference_in_a_record_field_exists():
    content = load_content()
    for record_type in RECORD_TYPES.values():
        for name, info in record_type.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            if "content" in extra:
                assert extra["content"] in content, (record_type.__name__, name)


def test_records_save_load_and_keep_history(store):
    answer = Answer(question="mapping_tool.question.1", subject="P-1", text="first")
    save_record(store, "school", answer, "Ann")
    save_record(store, "school", answer.model_copy(update={"text": "second"}), "Bob")
    loaded = load_record(store, "school", Answer, "P-1/mapping_tool.question.1")
    assert loaded.text == "second"
    assert [c.author for c in record_history(store, "school", answer)] == ["Ann", "Bob"]
