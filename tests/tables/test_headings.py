"""The one heading matcher: synonyms, any spelling of case and punctuation, clear errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.errors import InputFileError
from partnerkit.tables import HeadingMatcher, normalise_heading

LABELS = {"pupil": "pupil reference", "code": "attendance code", "area": "area served"}
LOOSE = HeadingMatcher(LABELS, {"pupil": ("Pupil Ref", "SCN"), "area": ("area served",)},
                       fix_missing="map {field} with columns=")
STRICT = HeadingMatcher(LABELS, LOOSE.synonyms, strict=True, kind="test column",
                        fix_missing="the headings must be pupil, code")


def found(matches):
    return {m.field: (m.heading, m.how) for m in matches if m.index is not None}


def test_mapping_then_same_name_then_synonyms_each_heading_once():
    headings = ["SCN", "Pupil Ref", "Code", "Reason"]
    assert found(LOOSE.match(headings, ["pupil", "code"], ["pupil"], {})) == {
        "pupil": ("Pupil Ref", "recognised heading"), "code": ("Code", "same name")}
    mapped = LOOSE.match(headings, ["pupil", "code"], [], {"code": ["Reason"],
                                                           "pupil": ["SCN"]})
    assert found(mapped) == {"pupil": ("SCN", "mapped by you"),
                             "code": ("Reason", "mapped by you")}
    # a mapped heading that is not there is not guessed
    assert found(LOOSE.match(headings, ["code"], [], {"code": ["Att"]})) == {}


@given(st.sampled_from(["Pupil Ref", "pupil_ref", "PUPIL-REF", " pupil.ref ", "PupilRef"]))
def test_case_spaces_and_punctuation_do_not_matter(heading):
    assert normalise_heading(heading) == "pupilref"
    assert found(LOOSE.match([heading], ["pupil"], ["pupil"], {}))["pupil"][0] == heading


def test_a_missing_column_names_file_row_column_found_headings_and_fix():
    matches = LOOSE.match(["Pupil Ref", "Atendance Code"], ["pupil", "code"], ["code"], {})
    (error,) = LOOSE.problems(matches, ["Pupil Ref", "Atendance Code"], "marks.csv", {}, 3)
    assert (error.file, error.row, error.column) == ("marks.csv", 3, "code")
    text = str(error)
    assert "the column 'code' is missing" in text and "attendance code" in text
    assert "is 'Atendance Code' meant to be 'code'?" in text
    assert "map code with columns=" in text and "'Pupil Ref'" in text


def test_a_loose_matcher_ignores_a_second_heading_a_strict_one_refuses_it():
    headings = ["Pupil Ref", "SCN", "Code"]
    matches = LOOSE.match(headings, ["pupil", "code"], ["pupil"], {})
    assert LOOSE.problems(matches, headings, "f.csv", {}) == []
    (error,) = STRICT.problems(matches, headings, "f.csv", {})
    assert "the column 'pupil' appears twice" in str(error) and error.column == "SCN"


def test_a_strict_matcher_calls_a_near_miss_by_its_name():
    headings = ["Pupil Ref", "Cde", "Area"]
    matches = STRICT.match(headings, ["pupil", "code", "area"], ["pupil", "code"], {})
    (error,) = STRICT.problems(matches, headings, "f.csv", {})
    assert "heading 'Cde' is not a test column; did you mean 'code'?" in str(error)
    assert error.fix == "rename the heading to 'code'"


@pytest.mark.parametrize("columns", [{"pupil": "Learner"}, {"Learner": "pupil"},
                                     {"pupil": ["Learner", "Kid"]}])
def test_a_mapping_is_read_either_way_round(columns):
    assert LOOSE.read_mapping(columns)["pupil"][0] == "Learner"


def test_a_mapping_file_that_names_no_field_is_refused(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("field,heading\npupil,Learner\nnonsense,Other\n")
    with pytest.raises(InputFileError) as info:
        LOOSE.read_mapping(path)
    assert (info.value.file, info.value.row, info.value.value) == ("map.csv", 3, "nonsense")
