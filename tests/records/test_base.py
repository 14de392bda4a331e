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


def test_validation_messages_are_plain_words_never_pydantic_text():
    import pytest
    from pydantic import Field

    from partnerkit.errors import RecordValidationError
    from partnerkit.records.base import Record, validate_record

    class Short(Record):
        code: str = Field("", max_length=20)
        rating: int = Field(1, ge=1, le=5)
        tags: list[str] = Field(default_factory=list, max_length=2)
        flag: bool = False

    with pytest.raises(RecordValidationError) as info:
        validate_record(Short, {"code": "x" * 25, "rating": 9, "tags": ["a", "b", "c"],
                                "flag": "perhaps"})
    errors = info.value.field_errors
    assert errors["code"] == ("this is too long: at most 20 characters fit, and it has 25; "
                              "shorten it")
    assert errors["rating"] == "9 is out of range: it must be at most 5"
    assert errors["tags"] == "there are too many: at most 2; remove some"
    assert errors["flag"] == ("this is not a value this field can take; check it and type "
                              "it again")
    assert not any("should" in message for message in errors.values())
